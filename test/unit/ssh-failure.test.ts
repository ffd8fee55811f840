// Why an SSH connection failed, in one line, from what OpenSSH 9.2's client logged (captured from real runs).
import { describe, expect, it } from "vitest";
import { sshFailureReason } from "../../harness/ssh/ssh-failure.ts";

const ctx = { knownHostsFile: "/run/ssh/h.known_hosts", identityFile: "/run/ssh/id_ed25519", port: 22 };

describe("sshFailureReason", () => {
  it("names a changed host key and the file that pins it", () => {
    const log = [
      "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@",
      "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @",
      "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!",
      "Host key for 172.17.0.2 has changed and you have requested strict checking.",
      "Host key verification failed.",
    ].join("\n");
    expect(sshFailureReason(log, ctx)).toBe(
      "its host key changed: it does not match the key pinned in /run/ssh/h.known_hosts (host key verification failed)",
    );
  });

  it("tells an unknown host key, a refused key, a refused port and no route apart", () => {
    expect(
      sshFailureReason(
        "No ED25519 host key is known for 172.17.0.2 and you have requested strict checking.\nHost key " +
          "verification failed.\n",
        ctx,
      ),
    ).toMatch(/^its host key is unknown: not in \/run\/ssh\/h.known_hosts/);
    expect(sshFailureReason("root@172.17.0.2: Permission denied (publickey).\n", ctx)).toBe(
      "it refused the key /run/ssh/id_ed25519 (Permission denied (publickey).)",
    );
    expect(sshFailureReason("ssh: connect to host 172.17.0.2 port 22: Connection refused\n", ctx)).toMatch(
      /^connection refused: no sshd answers on port 22/,
    );
    expect(sshFailureReason("ssh: connect to host 172.17.0.250 port 22: No route to host\n", ctx)).toMatch(
      /^cannot reach it \(ssh: connect to host/,
    );
    expect(
      sshFailureReason("ssh: Could not resolve hostname nowhere.invalid: Name or service not known\n", ctx),
    ).toMatch(/^unknown host name/);
  });

  it("falls back to ssh's last line, on one line", () => {
    expect(sshFailureReason("debug noise\nsomething new went wrong\n", ctx)).toBe("something new went wrong");
  });
});
