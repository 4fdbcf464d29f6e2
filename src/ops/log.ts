// The log of a long-running dealbridge process (`serve`; a worker later): pino, one JSON object a
// line, or a short line for a person when the format is `pretty` (the default on a terminal).
// Secrets are kept out twice: pino's `redact` censors the fields that hold them by name (request
// headers, token fields), and every line is scrubbed of each configured secret's value before it is
// written, for a secret that turns up where no path names it (an error message that echoes a token).
import pino, { type Logger } from 'pino';

export type LogFormat = 'json' | 'pretty';

export interface LogDestination {
  write(line: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  /** Unset: `pretty` when the destination is a terminal, else `json`. */
  format?: LogFormat | undefined;
  level?: string;
  /** The configured secrets; read at every line, so a rotated admin token added later counts. */
  secrets: readonly string[];
  /** Default: stderr (stdout keeps the commands' own output). */
  destination?: LogDestination;
}

export const REDACTED = '[redacted]';

/** Fields that hold a secret wherever they appear, one level deep (pino's path syntax). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...[
    'token',
    'accessToken',
    'refreshToken',
    'clientSecret',
    'adminToken',
    'metricsToken',
    'password',
  ].flatMap((k) => [k, `*.${k}`]),
];

/**
 * Query parameters that carry a credential: the one-time login code of `/login?code=…` (the admin
 * token itself is refused in a URL, but a mistaken `?token=` must not reach the log either).
 */
const SECRET_QUERY = /([?&](?:code|token|access_token)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, `$1${REDACTED}`);
}

/** A request as its log lines show it: Fastify's fields, the URL without credentials. */
function requestSerializer(req: {
  method?: string;
  url?: string;
  host?: string;
  hostname?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}) {
  return {
    method: req.method,
    url: redactUrl(req.url ?? ''),
    host: req.host ?? req.hostname,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  };
}

/** Each secret as written raw and as it reads inside a JSON string. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) {
    for (const form of new Set([s, JSON.stringify(s).slice(1, -1)]))
      if (form.length > 0 && out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Always there, and said by the start of the line already. */
const PRETTY_SKIPS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** `12:00:01.234 INFO  sync pass finished passId=… created=3`: a line of JSON, for a person. */
export function prettyLine(jsonLine: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = (LEVEL_NAMES[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const rest = Object.entries(entry)
    .filter(([k]) => !PRETTY_SKIPS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level} ${String(entry.msg ?? '')}${rest ? ` ${rest}` : ''}\n`;
}

/** The format a process logs in: the configured one, else pretty on a terminal, else JSON. */
export function resolveFormat(format: LogFormat | undefined, destination: LogDestination): LogFormat {
  return format ?? (destination.isTTY ? 'pretty' : 'json');
}

export function createLogger(opts: LoggerOptions): Logger {
  const destination = opts.destination ?? process.stderr;
  const pretty = resolveFormat(opts.format, destination) === 'pretty';
  const stream = {
    write(line: string) {
      const clean = scrubSecrets(line, opts.secrets);
      destination.write(pretty ? prettyLine(clean) : clean);
    },
  };
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { req: requestSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
