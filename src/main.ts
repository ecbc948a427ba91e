// Entry point of the bundled program (bin/corral, npm start): reads the command line and starts the command.
// The chat and exec are imported on demand, so that --help, --version and exec never load Ink.
import { parseCli } from './cli/args.js';

const cli = parseCli(process.argv.slice(2));

if ('exitCode' in cli) {
  if (cli.stdout) process.stdout.write(cli.stdout);
  if (cli.stderr) process.stderr.write(cli.stderr);
  process.exitCode = cli.exitCode;
} else if (cli.command === 'tui' || cli.command === 'resume') {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('corral: the chat needs a terminal (stdin and stdout); to run one prompt without it, use corral exec "PROMPT"\n');
    process.exitCode = 2;
  } else {
    const { startTui } = await import('./start-tui.js');
    await startTui(cli.options);
  }
} else if (cli.command === 'exec') {
  const { runExec } = await import('./cli/exec.js');
  process.exitCode = await runExec(cli.options);
} else {
  const { runAppServer } = await import('./cli/app-server.js');
  process.exitCode = await runAppServer(cli.options);
}
