// A password written into a restore test's repository URL (`rest:https://user:pw@host/repo`,
// duplicity's `sftp://user:pw@host/path`) is a secret of the run: results.json, the reports and the
// journal show the URL as `user:***@host`, and the password is in no file of the run and in no output;
// restic is given such a URL in its environment, not on its command line.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { maskUrl, urlPasswords } from "../../harness/util/url-secret.ts";
import { allFiles, drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const PW = "url-pw-Q7xk2";

describe("a password in a repository URL", () => {
  it("is found (as written and percent-decoded) and masked as ***", () => {
    expect(urlPasswords(`rest:https://bob:${PW}@host:8000/repo`)).toEqual([PW]);
    expect(maskUrl(`rest:https://bob:${PW}@host:8000/repo`)).toBe("rest:https://bob:***@host:8000/repo");
    expect(maskUrl("sftp://backup:p%40ss%2Fw@site-b/srv/duplicity")).toBe("sftp://backup:***@site-b/srv/duplicity");
    expect(urlPasswords("sftp://backup:p%40ss%2Fw@site-b/srv/duplicity")).toEqual(["p%40ss%2Fw", "p@ss/w"]);
    // No password: nothing found, nothing changed.
    for (const url of [
      "sftp:backup@site-b:/srv/restic",
      "ssh://backup@site-b/srv/borg",
      "/srv/restic",
      "rest:http://h/r",
    ]) {
      expect(urlPasswords(url)).toEqual([]);
      expect(maskUrl(url)).toBe(url);
    }
  });

  it("shows in no output, log, journal, results.json or report of a restore test (restic rest: refused)", async () => {
    // A REST server that refuses every request: restic fails at once, naming the repository.
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ""));
      res.statusCode = 401;
      res.end("unauthorized");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      const dir = await tmp();
      const url = `rest:http://bob:${PW}@127.0.0.1:${port}/repo`;
      const file = join(dir, "t.yaml");
      await writeFile(
        file,
        [
          "name: rest-url",
          "repository:",
          "  tool: restic",
          `  url: ${url}`,
          "  passphrase: { env: TEST_REST_PW }",
          "target: local",
          "steps:",
          "  - restore: latest",
          "  - verify: [files]",
          "",
        ].join("\n"),
      );
      const out = join(dir, "run");
      const r = await drdrill(
        ["run", file, "--out", out, "--reporter", "console", "json", "markdown", "junit", "html"],
        {
          env: { TEST_REST_PW: "repo-passphrase-9f2" },
          timeoutMs: 60_000,
        },
      );
      expect(r.exitCode, r.all).toBe(1);
      // restic did reach the server with the password (so it was given to it, not dropped).
      expect(seen.some((a) => Buffer.from(a.replace(/^Basic /, ""), "base64").toString() === `bob:${PW}`)).toBe(true);
      const res = await readJson(join(out, "results.json"));
      expect(res.results[0].outcome).toBe("failed");
      expect(res.results[0].restoreTest.repository).toBe(`rest:http://bob:***@127.0.0.1:${port}/repo`);
      // restic was given the URL in its environment (RESTIC_REPOSITORY), not on its command line.
      const calls = res.results[0].toolCalls.filter((c: any) => c.label === "restic-snapshots");
      expect(calls).toHaveLength(1);
      expect(calls[0].command).not.toMatch(/--repo|rest:/);
      expect(r.all).not.toContain(PW);
      const files = await allFiles(out);
      expect(files.map((f) => f.slice(out.length + 1))).toEqual(
        expect.arrayContaining(["results.json", "journal.jsonl", "report.md", "index.html", "junit.xml"]),
      );
      for (const f of files) expect((await readFile(f)).includes(PW), f).toBe(false);
    } finally {
      server.close();
    }
  }, 60_000);
});
