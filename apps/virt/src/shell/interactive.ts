import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCommandString } from './parse.js';
import type { Session } from './session.js';

const HISTORY_SIZE = 500;

function historyFile(program: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, program, 'history');
}

function loadHistory(path: string): string[] {
  try {
    // readline keeps the newest entry first
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(path: string, history: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, [...history].reverse().join('\n') + '\n');
  } catch {
    // history is a convenience: losing it must not fail the session
  }
}

/**
 * The interactive shell: a banner, then one command string per line with
 * line editing and history (kept across sessions), until quit/exit or EOF.
 */
export async function runInteractive(session: Session, program: string, readOnly: boolean): Promise<void> {
  const out = session.out;
  out.printExtra(`Welcome to ${program}, the virtualization interactive terminal.\n\n`);
  out.printExtra("Type:  'help' for help with commands\n       'quit' to quit\n\n");

  const file = historyFile(program);
  const terminal = Boolean(process.stdin.isTTY);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal,
    history: terminal ? loadHistory(file) : [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: false,
  });
  const prompt = readOnly ? `${program} > ` : `${program} # `;
  rl.setPrompt(prompt);

  const lines = rl[Symbol.asyncIterator]();
  while (!session.quitRequested) {
    rl.prompt();
    const next = await lines.next();
    if (next.done) break;
    const line = next.value;
    if (!terminal) out.print(`${line}\n`);
    if (line === '') continue;
    const commands = parseCommandString(line, session.commands, session);
    if (commands) await session.run(commands);
  }
  if (terminal) saveHistory(file, (rl as unknown as { history: string[] }).history);
  rl.close();
  // virsh ends the session with a line break, after quit as after EOF
  out.print('\n');
}
