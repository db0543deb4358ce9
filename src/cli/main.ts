import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { showActor } from './actor';
import { AdminClient, CliError } from './client';
import { addDecision, changeDecision, listDecisions, ListOptions } from './decisions';
import { explain, explainInput } from './explain';
import { Io } from './output';
import { replayWithProgress } from './replay';
import { resolveSettings } from './settings';

function operatorName(): string {
  try {
    return process.env.SOC_OPERATOR ?? userInfo().username;
  } catch {
    return 'cli';
  }
}

/** The `soc` program: the operator's commands over the admin API (and the local replay). */
export function program(io: Io): Command {
  const root = new Command('soc')
    .description('Operator CLI for the SOC triage service (admin API).')
    .option('--url <url>', 'service URL (default $SOC_URL, the config file, or http://127.0.0.1:3000)')
    .option('--config <file>', 'config file with {"url","token"} (default $SOC_CONFIG or ~/.config/soc/config.json)')
    .option('--json', 'print JSON as the service answers it')
    .showHelpAfterError()
    .addHelpText('after', '\nThe admin token comes from SOC_ADMIN_TOKEN or the config file (mode 600), never a flag.');
  const client = (): AdminClient => {
    const flags = root.opts<{ url?: string; config?: string; json?: boolean }>();
    io.json = flags.json === true;
    return new AdminClient(resolveSettings(flags, process.env, (m) => io.err(`warning: ${m}`)));
  };
  const reason = (): Option => new Option('--reason <text>', 'why (goes into the audit log)').makeOptionMandatory();
  const by = (): Option => new Option('--by <name>', 'who (audit log)').default(operatorName());

  const decisions = root.command('decisions').description('list, add, delete, approve or reject decisions');
  decisions
    .command('list')
    .description('decisions in force (default), or every one with --all')
    .option('--all', 'expired and revoked ones too')
    .addOption(new Option('--status <status>').choices(['active', 'pending', 'simulated', 'rejected']))
    .addOption(new Option('--action <action>').choices(['block', 'alert', 'monitor', 'allow']))
    .addOption(new Option('--origin <origin>').choices(['policy', 'manual', 'llm']))
    .addOption(new Option('--scope <scope>').choices(['ip', 'range', 'hostname', 'local']))
    .option('--value <address>', 'an address (any spelling) or a CIDR')
    .option('--limit <n>')
    .option('--offset <n>')
    .action((options: ListOptions) => listDecisions(client(), io, options));
  decisions
    .command('add <value>')
    .description('a manual block or allow on an address or CIDR')
    .addOption(new Option('--action <action>').choices(['block', 'allow']).default('block'))
    .option('--duration <d>', 'e.g. 4h, 30m, 7d', '4h')
    .addOption(reason())
    .addOption(by())
    .action((value: string, options: { action: string; duration: string; reason: string; by: string }) =>
      addDecision(client(), io, value, options),
    );
  for (const change of ['delete', 'approve', 'reject'] as const) {
    decisions
      .command(`${change} <id>`)
      .description(
        {
          delete: 'revoke a decision in force',
          approve: 'approve a pending decision',
          reject: 'reject a pending decision',
        }[change],
      )
      .addOption(reason())
      .addOption(by())
      .action((id: string, options: { reason: string; by: string }) =>
        changeDecision(client(), io, change, id, options),
      );
  }
  root
    .command('actor <key>')
    .description(
      'what the service remembers of an actor (an address, a host name or user@host), and why it is (not) blocked',
    )
    .action((address: string) => showActor(client(), io, address));
  root
    .command('explain <fileOrLine>')
    .description('how the service reads log lines (format, actor, time, signals) without storing them; - reads stdin')
    .action((argument: string) =>
      explain(
        client(),
        io,
        explainInput(argument, () => readFileSync(0, 'utf8')),
      ),
    );
  root
    .command('replay <file>')
    .description('replay a log file through the policy locally (npm run replay), with a progress bar on a terminal')
    .allowUnknownOption()
    .argument('[replayOptions...]', 'passed to the replay: --format, --policy, --allowlist, --now, --batch, --span')
    .action((file: string, rest: string[]) => {
      io.json = root.opts<{ json?: boolean }>().json === true;
      return replayWithProgress(file, rest, io, {
        isTTY: process.stderr.isTTY === true,
        // A pseudo-terminal may report 0 columns; COLUMNS, then 80, stand in.
        columns: process.stderr.columns || Number(process.env.COLUMNS) || 80,
        write: (text) => process.stderr.write(text),
      });
    });
  return root;
}

export async function main(argv: string[]): Promise<number> {
  const io: Io = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    json: false,
  };
  try {
    await program(io).parseAsync(argv);
    return 0;
  } catch (error) {
    const known = error instanceof CliError;
    io.err(`soc: ${known ? error.message : (error as Error).message}`);
    return known ? error.exitCode : 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
