// One SSH connection per host and run, with the system's OpenSSH client (so ~/.ssh/config, the agent,
// ProxyJump and known_hosts keep working): a multiplexed master (ControlMaster) that every later
// command rides on, and drdrill's small helpers over it (run, put, get).
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellQuote } from "../exec/quote.ts";
import { EnvironmentError } from "../model/errors.ts";
import { sshFailureReason } from "./ssh-failure.ts";

export interface SshOptions {
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  /** Pin host keys to this file only (default: the user's and the system's known_hosts). */
  knownHostsFile?: string;
  /** strict (default): an unknown host key is refused; accept-new: a first-seen key is added. */
  hostKeyCheck?: "strict" | "accept-new";
  /** Commands run as root through `sudo -n` when the login user is not root. */
  sudo?: boolean;
  /** Where the master's socket goes (a short path: unix sockets are limited to ~104 bytes). */
  controlDir: string;
  /** How long to wait for the TCP connection (default 10 s). */
  connectTimeoutMs?: number;
}

export interface SshRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface SshRunOptions {
  input?: string | Buffer;
  /** Run through `sudo -n` (default: when the connection says sudo and the user is not root). */
  sudo?: boolean;
  timeoutMs?: number;
}

/** What a command client prints when it finds no master: it never opens a connection of its own. */
export const NO_MASTER_MARK = "DRDRILL-SSH-NO-MASTER";
/** sun_path holds 108 bytes, and the master binds to PATH + "." + 16 random characters before renaming. */
const SOCKET_PATH_MAX = 90;
const SERVER_ALIVE_S = 5;

function parseResolved(text: string): { user: string; hostname: string; port: number } {
  const get = (k: string) => new RegExp(`^${k} (.*)$`, "m").exec(text)?.[1]?.trim();
  return { user: get("user") ?? "", hostname: get("hostname") ?? "", port: Number(get("port") ?? 22) };
}

export class SshConnection {
  #closed = false;

  private constructor(
    private readonly opts: SshOptions,
    /** The master's socket. */
    readonly socket: string,
    private readonly ownSocketDir: string | null,
    /** The login user, host name and port as ssh resolved them (from ~/.ssh/config too). */
    readonly user: string,
    readonly hostname: string,
    readonly port: number,
  ) {}

  /** For messages: `ssh drill@10.0.0.5:22`. */
  get where(): string {
    return `ssh ${this.user}@${this.hostname}:${this.port}`;
  }

  /** True when commands go through `sudo -n` to run as root. */
  get elevated(): boolean {
    return Boolean(this.opts.sudo) && this.user !== "root";
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** ssh's arguments before the remote command line, for a client that rides on the master only. */
  clientArgs(): string[] {
    return [
      "-S",
      this.socket,
      "-o",
      "ControlMaster=no",
      "-o",
      "BatchMode=yes",
      "-o",
      "LogLevel=ERROR",
      "-o",
      "RequestTTY=no",
      "-o",
      "RemoteCommand=none",
      // Only reached when the master is gone: fail at once instead of connecting anew.
      "-o",
      `ProxyCommand=sh -c "echo ${NO_MASTER_MARK} >&2; exit 1"`,
      ...targetArgs(this.opts),
      "--",
    ];
  }

  /** The remote command line for `cmd args`, through `sudo -n` when asked. */
  commandLine(cmd: string, args: string[], sudo = this.elevated): string {
    return [...(sudo ? ["sudo", "-n", "--"] : []), cmd, ...args].map(shellQuote).join(" ");
  }

  /**
   * Runs one of drdrill's own small commands; throws an EnvironmentError when the connection is gone.
   * Its client is in a process group of its own, so a second Ctrl-C cannot cut off a kill in flight.
   */
  async run(cmd: string, args: string[] = [], o: SshRunOptions = {}): Promise<SshRunResult> {
    if (this.#closed) throw new EnvironmentError(`${this.where}: the connection is closed`);
    const r = await execa("ssh", [...this.clientArgs(), this.commandLine(cmd, args, o.sudo)], {
      detached: true,
      reject: false,
      encoding: "utf8",
      stripFinalNewline: false,
      ...(o.input !== undefined ? { input: o.input } : { stdin: "ignore" as const }),
      ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
    });
    const stderr = String(r.stderr ?? "");
    if (r.exitCode === 255 && stderr.includes(NO_MASTER_MARK))
      throw new EnvironmentError(`${this.where}: the connection is gone (its master process ended)`);
    if (r.timedOut) throw new EnvironmentError(`${this.where}: \`${cmd}\` gave no answer within ${o.timeoutMs} ms`);
    return { exitCode: typeof r.exitCode === "number" ? r.exitCode : 255, stdout: String(r.stdout ?? ""), stderr };
  }

  /** Writes a remote file (through `cat`, no scp or sftp needed), replacing it whole. */
  async put(remotePath: string, content: string | Buffer, mode = 0o600, o: { sudo?: boolean } = {}): Promise<void> {
    const tmp = `${remotePath}.drdrill-${randomBytes(3).toString("hex")}`;
    const script = 'umask 077 && cat > "$1" && chmod "$3" "$1" && mv -f "$1" "$2" || { rm -f "$1"; exit 1; }';
    const r = await this.run("sh", ["-c", script, "put", tmp, remotePath, mode.toString(8)], { input: content, ...o });
    if (r.exitCode !== 0)
      throw new EnvironmentError(
        `${this.where}: cannot write ${remotePath}: ${r.stderr.trim() || `exit ${r.exitCode}`}`,
      );
  }

  /** Reads a remote file whole. */
  async get(remotePath: string, o: { sudo?: boolean } = {}): Promise<Buffer> {
    if (this.#closed) throw new EnvironmentError(`${this.where}: the connection is closed`);
    const r = await execa("ssh", [...this.clientArgs(), this.commandLine("cat", ["--", remotePath], o.sudo)], {
      detached: true,
      reject: false,
      encoding: "buffer",
      stripFinalNewline: false,
      stdin: "ignore",
    });
    const stderr = Buffer.from(r.stderr ?? "").toString("utf8");
    if (r.exitCode === 255 && stderr.includes(NO_MASTER_MARK))
      throw new EnvironmentError(`${this.where}: the connection is gone (its master process ended)`);
    if (r.exitCode !== 0)
      throw new EnvironmentError(`${this.where}: cannot read ${remotePath}: ${stderr.trim() || `exit ${r.exitCode}`}`);
    return Buffer.from(r.stdout ?? "");
  }

  /** Whether the master still answers. */
  async alive(): Promise<boolean> {
    if (this.#closed) return false;
    const r = await execa("ssh", ["-S", this.socket, "-O", "check", this.opts.host], {
      reject: false,
      stdin: "ignore",
    });
    return r.exitCode === 0;
  }

  /** Ends the master (and with it every session on it); safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await execa("ssh", ["-S", this.socket, "-O", "exit", this.opts.host], {
      reject: false,
      stdin: "ignore",
      timeout: 10_000,
    });
    if (this.ownSocketDir) await rm(this.ownSocketDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Use openSsh(). */
  static async open(opts: SshOptions): Promise<SshConnection> {
    await mkdir(opts.controlDir, { recursive: true, mode: 0o700 });
    let dir = opts.controlDir;
    let own: string | null = null;
    const name = `cm-${randomBytes(4).toString("hex")}`;
    if (Buffer.byteLength(join(dir, name)) > SOCKET_PATH_MAX) {
      own = await mkdtemp(join(tmpdir(), "dd-ssh-"));
      dir = own;
    }
    const socket = join(dir, name);
    const log = `${socket}.log`;
    const resolved = parseResolved(
      String((await execa("ssh", ["-G", ...targetArgs(opts)], { reject: false, stdin: "ignore" })).stdout ?? ""),
    );
    const where = `ssh ${resolved.user || opts.user || "?"}@${resolved.hostname || opts.host}:${resolved.port}`;
    const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    // -f: ssh goes to the background once authenticated, so its exit status says whether it got in;
    // -E: its messages go to a file (a backgrounded master must not hold our pipes open).
    const master = await execa(
      "ssh",
      [
        "-f",
        "-N",
        "-M",
        "-S",
        socket,
        "-E",
        log,
        "-o",
        "BatchMode=yes",
        "-o",
        `StrictHostKeyChecking=${opts.hostKeyCheck === "accept-new" ? "accept-new" : "yes"}`,
        "-o",
        `ConnectTimeout=${Math.max(1, Math.ceil(connectTimeoutMs / 1000))}`,
        "-o",
        `ServerAliveInterval=${SERVER_ALIVE_S}`,
        "-o",
        "ServerAliveCountMax=3",
        "-o",
        "ControlPersist=no",
        ...(opts.knownHostsFile
          ? ["-o", `UserKnownHostsFile=${opts.knownHostsFile}`, "-o", "GlobalKnownHostsFile=/dev/null"]
          : []),
        ...(opts.identityFile ? ["-i", opts.identityFile, "-o", "IdentitiesOnly=yes"] : []),
        ...targetArgs(opts),
      ],
      { reject: false, stdio: "ignore", timeout: connectTimeoutMs + 20_000 },
    );
    const said = await readFile(log, "utf8").catch(() => "");
    await rm(log, { force: true });
    if (master.exitCode !== 0) {
      if (own) await rm(own, { recursive: true, force: true });
      const reason = master.timedOut
        ? `no answer within ${Math.round((connectTimeoutMs + 20_000) / 1000)} s`
        : sshFailureReason(said, { ...opts, port: resolved.port });
      throw new EnvironmentError(`${where}: ${reason}`);
    }
    return new SshConnection(
      opts,
      socket,
      own,
      resolved.user || opts.user || "",
      resolved.hostname || opts.host,
      resolved.port,
    );
  }
}

/** The options that name the host, shared by the master and its clients. */
function targetArgs(opts: SshOptions): string[] {
  return [...(opts.port ? ["-p", String(opts.port)] : []), ...(opts.user ? ["-l", opts.user] : []), opts.host];
}

/** Connects (one master for the run) or throws an EnvironmentError naming the host and the reason. */
export function openSsh(opts: SshOptions): Promise<SshConnection> {
  return SshConnection.open(opts);
}
