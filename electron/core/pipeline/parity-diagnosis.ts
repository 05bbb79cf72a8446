/**
 * What is wrong when a parity run gets no HTTP answer on $PORT, in one sentence that names the ports,
 * from what the container really did: exited, or the sockets it listens on.
 */
import type { ListeningSocket, Platform } from '../../contract';
import { reachableFromOutside } from './listening-sockets';

export interface ParityEvidence {
  platform: Platform;
  port: number;
  deadlineMs: number;
  /** The exit code when the container stopped before answering; null while it runs. */
  exitCode: number | null;
  /** The last lines it printed, when it exited. */
  lastLogs?: string;
  /** Its listening sockets; null when they could not be read (with why). */
  listening: ListeningSocket[] | null;
  unreadable?: string;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const list = (ports: number[]) =>
  ports.length === 1 ? String(ports[0]) : `${ports.slice(0, -1).join(', ')} and ${ports[ports.length - 1]}`;

const PORT_FIX: Record<Platform, string> = {
  heroku: 'Make the app listen on process.env.PORT (Heroku sets a different PORT on every start), on 0.0.0.0.',
  azure: 'Make the app listen on process.env.PORT (Azure sets PORT=80 and maps its front end to port 80), on 0.0.0.0.',
};

export function diagnoseParity(e: ParityEvidence): { problem: string; fix: string } {
  const within = `within ${seconds(e.deadlineMs)}`;
  if (e.exitCode !== null) {
    const logs = e.lastLogs?.trim() ? ` Its last output: ${e.lastLogs.trim()}` : '';
    return {
      problem: `The container exited with code ${e.exitCode} before answering HTTP on $PORT (${e.port}).${logs}`,
      fix: 'Run the image with the same PORT and read its logs: it must keep running and serve HTTP on $PORT.',
    };
  }
  if (e.listening === null) {
    return {
      problem: `The app did not answer HTTP on $PORT (${e.port}) ${within}, and its listening sockets could not be read (${e.unreadable ?? 'unknown reason'}).`,
      fix: PORT_FIX[e.platform],
    };
  }
  const onPort = e.listening.filter((s) => s.port === e.port);
  if (onPort.some((s) => reachableFromOutside(s.address))) {
    return {
      problem: `The app listens on $PORT (${e.port}) but gave no HTTP answer ${within}.`,
      fix: 'Check that it speaks HTTP on that port and answers "/" quickly, or give the run a longer deadline.',
    };
  }
  if (onPort.length > 0) {
    return {
      problem: `The app listens on $PORT (${e.port}) only on ${onPort.map((s) => s.address).join(' and ')}, so nothing outside the container reaches it.`,
      fix: 'Listen on 0.0.0.0 (all addresses) instead of localhost.',
    };
  }
  const others = [...new Set(e.listening.map((s) => s.port))];
  if (others.length > 0) {
    return {
      problem: `The app ignores $PORT (${e.port}) and listens on ${list(others)}.`,
      fix: PORT_FIX[e.platform],
    };
  }
  return {
    problem: `The app listens on no TCP port ${within}, so $PORT (${e.port}) gets no answer.`,
    fix: 'Check that the app starts its server (see its logs), or give the run a longer deadline.',
  };
}
