// Child processes of the harness: each long-lived one gets its own process group (detached = setsid), so the
// whole tree (code-server, its extension hosts and watchers) ends with one signal to the group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** Process groups started by this harness run, ended by stopAll() (also on exit and on SIGINT/SIGTERM). */
const groups = new Set();
let pidFile;

/** Also writes every group id to `file`, so the shell wrapper can end them if this process is killed hard. */
export function recordGroupsIn(file) {
  pidFile = file;
  fs.writeFileSync(pidFile, '');
}

function writePidFile() {
  if (pidFile) fs.writeFileSync(pidFile, [...groups].join('\n') + (groups.size ? '\n' : ''));
}

/**
 * Spawns `command` in a new process group. Output goes to `logFile` (appended) unless `output` is 'inherit'
 * (the harness's own stdout/stderr) or 'pipe' (stdout readable by the caller, stderr to the log).
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, logFile?: string, output?: 'log' | 'inherit' | 'pipe' }} options
 * @returns {import('node:child_process').ChildProcess}
 */
export function spawnGroup(command, args, { env, cwd, logFile, output = 'log' }) {
  const log = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const stdio =
    output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', output === 'pipe' ? 'pipe' : log, log];
  const child = spawn(command, args, { cwd, env, detached: true, stdio });
  if (typeof log === 'number') fs.closeSync(log);
  if (child.pid) {
    groups.add(child.pid);
    writePidFile();
    child.once('exit', () => {
      groups.delete(child.pid);
      writePidFile();
    });
  }
  return child;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends one process group: SIGTERM, then SIGKILL if anything in it is still alive after `graceMs`. */
export async function stopGroup(pgid, graceMs = 5_000) {
  if (!groupAlive(pgid)) return groups.delete(pgid);
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  groups.delete(pgid);
  writePidFile();
  return true;
}

export async function stopAll() {
  await Promise.all([...groups].map((pgid) => stopGroup(pgid)));
}

function stopAllNow() {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  groups.clear();
  writePidFile();
}
process.once('exit', stopAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopAllNow();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a command to completion, capturing output; rejects on a non-zero exit or after `timeoutMs`.
 * @returns {Promise<string>} combined stdout+stderr
 */
export function runToEnd(command, args, { env, cwd, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} ${signal ? `was killed (${signal}, limit ${timeoutMs} ms)` : `exited with ${code}`}\n${output}`,
          ),
        );
    });
  });
}
