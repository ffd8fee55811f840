// The SSH target URL given on the command line: what is accepted, and what is refused with a clear reason.
import { describe, expect, it } from "vitest";
import { parseSshUrl } from "../../harness/ssh/target-url.ts";

describe("parseSshUrl", () => {
  it("takes user, host and port, each optional but the host", () => {
    expect(parseSshUrl("ssh://drill@10.0.0.5:2222")).toEqual({ user: "drill", host: "10.0.0.5", port: 2222 });
    expect(parseSshUrl("ssh://node-1.lab")).toEqual({ host: "node-1.lab" });
    expect(parseSshUrl("ssh://root@node-1.lab/")).toEqual({ user: "root", host: "node-1.lab" });
    expect(parseSshUrl("ssh://[fd00::5]:22")).toEqual({ host: "fd00::5", port: 22 });
  });

  it("refuses what ssh could not use, saying what is expected", () => {
    for (const bad of [
      "drill@10.0.0.5",
      "ssh://",
      "ssh://user@",
      "ssh://a:b@host",
      "ssh://host:port",
      "ssh://host/path",
      "sftp://host",
    ]) {
      expect(() => parseSshUrl(bad), bad).toThrow(/expected ssh:\/\/\[user@\]host\[:port\]/);
    }
    expect(() => parseSshUrl("ssh://host:70000")).toThrow(/port 70000 is not in 1-65535/);
  });
});
