import { Dialect } from './dialect';
import { decisionFromRow } from './event-rows';
import { LedgerNote, PlannedWrites, unrevokedAfter } from './planned-writes';
import { StoreReader } from './sqlite-connections';
import { BlockLedger } from './triage-plan';
import { StoredDecision } from '../domain/decision';

/**
 * The `network_blocks` ledger as a write is planned: the committed rows plus what the write
 * still being persisted (`pending`) and this write (`made`, the notes) add. The notes are stored
 * with the write.
 */
export class PlannedBlockLedger implements BlockLedger {
  readonly notes: LedgerNote[] = [];
  private readonly rows = new Map<string, { ip: string; simulated: boolean; at: number }[]>();
  private readonly decisions = new Map<string, StoredDecision[]>();

  constructor(
    private readonly reader: StoreReader,
    readonly now: Date,
    private readonly pending: PlannedWrites,
    private readonly made: readonly StoredDecision[],
  ) {}

  async load(networks: readonly string[]): Promise<void> {
    const list = JSON.stringify(networks);
    const inList = this.reader.dialect.inJsonList;
    const now = this.now.getTime();
    // Status is filtered in decisionsOn: `status IN (…)` in SQL would make SQLite pick idx_decisions_status.
    const [ledgerRows, decisionRows] = await Promise.all([
      this.reader.all(`SELECT network, ip, simulated, blocked_at FROM network_blocks WHERE network ${inList}`, [list]),
      this.reader.all(`SELECT * FROM decisions WHERE value ${inList} AND revoked_at IS NULL AND expires_at > ?`, [
        list,
        now,
      ]),
    ]);
    for (const network of networks) {
      this.rows.set(network, []);
      this.decisions.set(network, []);
    }
    for (const row of ledgerRows) {
      this.rows.get(row.network as string)?.push({
        ip: row.ip as string,
        simulated: Number(row.simulated) !== 0,
        at: Number(row.blocked_at),
      });
    }
    for (const decision of decisionRows.map((row) => decisionFromRow(row))) {
      this.decisions.get(decision.value)?.push(decision);
    }
  }

  noteBlock(network: string, ip: string, at: Date, simulated: boolean): void {
    this.notes.push({ network, ip, simulated, at: at.getTime() });
  }

  blockedMembers(network: string, since: Date, withSimulated: boolean): number {
    const from = since.getTime();
    const noted = [...this.pending.ledger, ...this.notes].filter((note) => note.network === network);
    const members = new Set<string>();
    for (const block of [...this.loaded(this.rows, network), ...noted]) {
      if (block.at >= from && (withSimulated || !block.simulated)) {
        members.add(block.ip);
      }
    }
    return members.size;
  }

  decisionsOn(network: string): StoredDecision[] {
    const now = this.now.getTime();
    const byId = new Map(this.loaded(this.decisions, network).map((d) => [d.id, d]));
    for (const decision of [...this.pending.decisions, ...this.made]) {
      if (decision.value === network && unrevokedAfter(decision, now)) {
        byId.set(decision.id, decision);
      }
    }
    return [...byId.values()].filter((d) => d.status === 'active' || d.status === 'simulated');
  }

  private loaded<T>(from: Map<string, T[]>, network: string): T[] {
    const found = from.get(network);
    if (found === undefined) {
      throw new Error(`ledger: network ${network} was not loaded`);
    }
    return found;
  }
}

export const LEDGER_COLUMNS = ['network', 'ip', 'simulated', 'blocked_at'] as const;

/** Ledger rows keep the latest block of an address per network (see LEDGER_UPSERT). */
export function ledgerRow(note: LedgerNote): unknown[] {
  return [note.network, note.ip, Number(note.simulated), note.at];
}

export const ledgerUpsert = (dialect: Dialect): string =>
  ` ON CONFLICT (network, ip, simulated) DO UPDATE SET blocked_at = ${dialect.greatest}(network_blocks.blocked_at, excluded.blocked_at)`;
