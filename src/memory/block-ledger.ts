import { QueryRunner } from 'typeorm';
import { decisionFromRow } from './event-rows';
import { BlockLedger, StoredDecision } from './records';

/** The `network_blocks` table, read and written inside the open write transaction. */
export class SqlBlockLedger implements BlockLedger {
  constructor(
    private readonly runner: QueryRunner,
    readonly now: Date,
  ) {}

  async noteBlock(network: string, ip: string, at: Date, simulated: boolean): Promise<void> {
    await this.runner.query(
      `INSERT INTO network_blocks (network, ip, simulated, blocked_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (network, ip, simulated) DO UPDATE SET blocked_at = MAX(blocked_at, excluded.blocked_at)`,
      [network, ip, Number(simulated), at.getTime()],
    );
  }

  async blockedMembers(network: string, since: Date, withSimulated: boolean): Promise<number> {
    const rows = (await this.runner.query(
      `SELECT COUNT(DISTINCT ip) AS n FROM network_blocks WHERE network = ? AND blocked_at >= ?${withSimulated ? '' : ' AND simulated = 0'}`,
      [network, since.getTime()],
    )) as { n: number }[];
    return Number(rows[0]?.n ?? 0);
  }

  async decisionsOn(value: string): Promise<StoredDecision[]> {
    // Status filtered here: `status IN (…)` in SQL would make SQLite pick idx_decisions_status.
    const rows = (await this.runner.query(
      'SELECT * FROM decisions WHERE value = ? AND revoked_at IS NULL AND expires_at > ?',
      [value, this.now.getTime()],
    )) as Record<string, unknown>[];
    return rows.map(decisionFromRow).filter((d) => d.status === 'active' || d.status === 'simulated');
  }
}
