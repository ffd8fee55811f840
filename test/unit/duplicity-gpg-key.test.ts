// duplicity's `encryption: gpg-key` as a user writes it (issue 25, point 3): a fingerprint that is not 40
// hex digits, or encryptKey without gpg-key, is exit 2 at file, line and field with nothing run; the
// passphrase and key faults ask what the key is (wrong-passphrase: none to get wrong; lost-key: not yours).
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { TOOLS } from "../../harness/tools/registry.ts";
import { problems, scenario } from "../helpers/rules.ts";
import { tmp } from "../helpers/tmp.ts";

const FPR = "8CE5DDFDDD35D4D22E5FDACECCA489092ED660C3";

const stderr: string[] = [];
beforeAll(() => {
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
});
afterAll(() => vi.restoreAllMocks());

async function drdrill(...args: string[]): Promise<{ code: number; err: string }> {
  stderr.length = 0;
  const code = await main(args);
  return { code, err: stderr.join("") };
}

const around = (fault: string) => ["backup: full", `fault: { ${fault} }`, "restore: latest"];

describe("encryption: gpg-key and encryptKey", () => {
  it("takes gpg-key alone (the run's own key pair) and a fingerprint in either case", () => {
    expect(problems(scenario("[{ duplicity: { encryption: gpg-key } }]", around("delete-path: { path: . }")))).toEqual(
      [],
    );
    const lower = FPR.toLowerCase();
    expect(
      problems(scenario(`[{ duplicity: { encryption: gpg-key, encryptKey: ${lower} } }]`, ["backup: full"])),
    ).toEqual([]);
  });

  it.each([
    ["spaces, as gpg prints it", '"8CE5 DDFD DD35 D4D2 2E5F  DACE CCA4 8909 2ED6 60C3"'],
    ["a short key id", "CCA489092ED660C3"],
    ["41 digits", `${FPR}0`],
    ["not hex", `${FPR.slice(0, 39)}G`],
  ])("refuses a fingerprint with %s, at its field", (_what, value) => {
    expect(
      problems(scenario(`[{ duplicity: { encryption: gpg-key, encryptKey: ${value} } }]`, ["backup: full"])),
    ).toEqual([
      "2:tools[0].duplicity.encryptKey: a key's fingerprint is 40 hex digits (gpg --list-keys --with-colons: " +
        "its fpr line)",
    ]);
  });

  it("refuses encryptKey without encryption: gpg-key", () => {
    expect(problems(scenario(`[{ duplicity: { encryptKey: ${FPR} } }]`, ["backup: full"]))).toEqual([
      "2:tools[0].duplicity.encryptKey: encryptKey is the key of encryption: gpg-key (this entry has encryption: " +
        "gpg-symmetric)",
    ]);
  });

  it("wrong-passphrase does not apply to a key pair, the run's own or yours", () => {
    for (const settings of ["{ encryption: gpg-key }", `{ encryption: gpg-key, encryptKey: ${FPR} }`])
      expect(problems(scenario(`[restic, { duplicity: ${settings} }]`, around("wrong-passphrase: {}")))).toEqual([
        "5:steps[1].fault.wrong-passphrase: wrong-passphrase does not apply: duplicity encrypts to a key pair with " +
          "these settings (encryption: gpg-key), not with a passphrase; lost-key drills losing its secret key " +
          "(tools[1]: duplicity)",
      ]);
  });

  it("lost-key: the run's own key pair can be lost, the user's key never", () => {
    expect(problems(scenario("[{ duplicity: { encryption: gpg-key } }]", around("lost-key: {}")))).toEqual([]);
    expect(
      problems(scenario(`[{ duplicity: { encryption: gpg-key, encryptKey: ${FPR} } }]`, around("lost-key: {}"))),
    ).toEqual([
      "5:steps[1].fault.lost-key: lost-key does not apply: the key is yours (encryptKey) and drdrill never deletes " +
        "a key it did not make; leave encryptKey out to drill with the run's own key pair (tools[0]: duplicity)",
    ]);
  });

  it("the tool says how it encrypts: a key pair, the run's or the user's, with no passphrase of the run's", () => {
    const enc = TOOLS.duplicity!.capabilities.encryption;
    expect(enc({ encryption: "gpg-key" })).toMatchObject({ encrypted: true, keyPair: "run" });
    expect(enc({ encryption: "gpg-key" }).secretSetting).toBeUndefined();
    expect(enc({ encryption: "gpg-key", encryptKey: FPR })).toMatchObject({
      keyPair: "user",
      secretSetting: "passphrase",
    });
    expect(enc({ encryption: "gpg-symmetric" }).keyPair).toBeUndefined();
  });
});

describe("drdrill validate and run: a bad fingerprint is exit 2 at file, line and field, nothing run", () => {
  it("names the file, the line, the column and tools[0].duplicity.encryptKey", async () => {
    const dir = await tmp("gpg-key-");
    const file = join(dir, "s.yaml");
    await writeFile(
      file,
      "name: gpg-key\ntools:\n  - duplicity:\n      encryption: gpg-key\n      encryptKey: CCA489092ED660C3\n" +
        "steps:\n  - backup: full\n  - restore: latest\n",
    );
    const v = await drdrill("validate", file);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/s\.yaml:5:19: tools\[0\]\.duplicity\.encryptKey: a key's fingerprint is 40 hex digits/);
    const out = join(dir, "run");
    const r = await drdrill("run", file, "--out", out);
    expect(r.code).toBe(2);
    expect(Boolean(await stat(out).catch(() => null))).toBe(false);
  });
});
