// The lab's OpenStack services inside a VM, driven over SSH: the same `snap` shim the lab container
// has, and health from Keystone itself (a token through its API: the openstack client alone takes
// half a minute to start in an emulated guest). An emulated guest's services outlive `snap start`'s
// own probes by minutes, so health waits for them rather than trusting its exit code.
import type { SshConnection } from "../../ssh/connection.ts";
import type { RemoteServices } from "../../ssh/remote-services.ts";

// Admin credentials stay in the guest: read from microstack.rc there, never on a command line.
const TOKEN = [
  "set -e",
  'set -a; . "${SNAP_COMMON:-/var/snap/microstack/common}/etc/microstack.rc"; set +a',
  "body=$(printf " +
    '\'{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","domain":{"name":"%s"},' +
    '"password":"%s"}}},"scope":{"project":{"name":"%s","domain":{"name":"%s"}}}}}\' ' +
    '"$OS_USERNAME" "${OS_USER_DOMAIN_NAME:-Default}" "$OS_PASSWORD" "$OS_PROJECT_NAME" ' +
    '"${OS_PROJECT_DOMAIN_NAME:-Default}")',
  'printf %s "$body" | curl -fsS -o /dev/null -w "%{http_code}" -X POST -H "Content-Type: application/json" ' +
    '--data-binary @- "${OS_AUTH_URL%/}/auth/tokens"',
].join("\n");

export function vmLabServices(conn: SshConnection, opts: { healthWaitMs: number }): RemoteServices {
  let up = true;
  const run = (script: string, timeoutMs: number) => conn.run("bash", ["-c", script], { timeoutMs });
  return {
    kind: "lab",
    note:
      "the lab's OpenStack services in the VM (snap stop|start microstack); health: a Keystone token through its " +
      "API; no load writer, so no achieved RPO",
    manifestExcludes: [],
    running: () => up,
    async quiesce() {
      await run("snap stop microstack", 900_000).catch(() => {});
      up = false;
    },
    async resume() {
      // Its exit code is not the verdict: under emulation the services come up minutes after it gives up.
      await run("snap start microstack", 900_000).catch(() => {});
      up = true;
    },
    async health() {
      const deadline = Date.now() + opts.healthWaitMs;
      let last = "";
      while (Date.now() < deadline) {
        const r = await run(TOKEN, 120_000).catch((e: Error) => ({ exitCode: 1, stdout: "", stderr: e.message }));
        if (r.exitCode === 0 && r.stdout.trim() === "201")
          return { ok: true, detail: "Keystone issued a token through its API" };
        last = r.stderr.trim().split("\n").at(-1) ?? `HTTP ${r.stdout.trim()}`;
        await new Promise((res) => setTimeout(res, 5000));
      }
      return { ok: false, detail: `no Keystone token within ${Math.round(opts.healthWaitMs / 1000)} s: ${last}` };
    },
    loadSurvivor: async () => ({ newestWallMs: null, newestSeq: null }),
    loadNewest: async () => ({ newestWallMs: null, newestSeq: null }),
    stop: async () => {},
  };
}
