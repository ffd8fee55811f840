// Builds the root Dockerfile's image here, where no container registry is reachable: its Node 20 base is
// made from the lab's debootstrapped Debian base with this host's node and npm copied in (Debian 12's own
// nodejs is 18), and the host's Debian mirror is passed for the tools. Docker's layer cache keeps a rebuild
// to what changed (the npm ci layer stays until package-lock.json changes, the tools layer until the Dockerfile).
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { baseRef, ensureBase } from "../../harness/images/base.ts";
import { docker, imageExists, requireDocker } from "../../harness/images/docker.ts";
import { loggedStep } from "../../harness/images/logged-step.ts";
import { mirrorBuildEnv } from "../../harness/images/mirror.ts";
import { monoMs } from "../../harness/util/clock.ts";
import { ROOT } from "./cli.ts";

export const ROOT_IMAGE = "drdrill/drdrill:test";
/** On the images and containers the image tests make, so they are found and removed by it. */
export const TEST_LABEL = "drdrill.test";

const WHAT = "root image build (test)";
const say = (line: string) => process.stderr.write(`root image: ${line}\n`);

/** npm's folder (…/node_modules/npm) for the npm on PATH. */
function npmDir(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    try {
      return dirname(dirname(realpathSync(join(dir, "npm"))));
    } catch {
      /* not in this folder */
    }
  }
  throw new Error("npm is not on PATH");
}

/** drdrill/node-base:<node version>-<base tag>: the debootstrapped base plus this host's node and npm. */
async function nodeBase(env: Record<string, string>, log: string): Promise<string> {
  const base = await baseRef();
  await ensureBase(base, { what: WHAT, env, log, say });
  const tag = `drdrill/node-base:${process.version.slice(1)}-${base.split(":")[1]}`;
  if (await imageExists(tag)) return tag;
  say(`building ${tag} (this host's node and npm on ${base})`);
  const ctx = mkdtempSync(join(tmpdir(), "drdrill-node-base-"));
  try {
    cpSync(process.execPath, join(ctx, "node"));
    cpSync(npmDir(), join(ctx, "npm"), { recursive: true });
    // The certificates this host's node trusts beyond its own (a TLS-inspecting proxy's), so npm ci in the
    // build reaches the registry as it does here.
    const ca = process.env.NODE_EXTRA_CA_CERTS;
    if (ca) cpSync(ca, join(ctx, "extra-ca.crt"));
    writeFileSync(
      join(ctx, "Dockerfile"),
      [
        `FROM ${base}`,
        "COPY node /usr/local/bin/node",
        "COPY npm /usr/local/lib/node_modules/npm",
        ...(ca
          ? [
              "COPY extra-ca.crt /usr/local/share/drdrill-node-base/extra-ca.crt",
              "ENV NODE_EXTRA_CA_CERTS=/usr/local/share/drdrill-node-base/extra-ca.crt",
            ]
          : []),
        "RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && \\",
        "    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version",
        "",
      ].join("\n"),
    );
    await loggedStep(
      WHAT,
      "node base",
      "docker",
      ["build", "--label", `${TEST_LABEL}=node-base`, "-t", tag, ctx],
      env,
      log,
    );
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  return tag;
}

/** Builds ROOT_IMAGE from the repository's Dockerfile; the image it replaces is removed when unused. */
export async function buildRootImage(): Promise<{ image: string; buildMs: number; log: string }> {
  await requireDocker();
  const env = { ...process.env, ...(await mirrorBuildEnv(WHAT)) } as Record<string, string>;
  const log = join(tmpdir(), `drdrill-root-image-build-${process.pid}.log`);
  const t0 = monoMs();
  const before = (await docker(["image", "inspect", "--format", "{{.Id}}", ROOT_IMAGE])).stdout.trim();
  const base = await nodeBase(env, log);
  say(`docker build of the repository on ${base}; log: ${log}`);
  await loggedStep(
    WHAT,
    "root image",
    "docker",
    [
      "build",
      "--rm",
      "--force-rm",
      "--build-arg",
      `NODE_IMAGE=${base}`,
      "--build-arg",
      "DEBIAN_MIRROR",
      "--build-arg",
      "DEBIAN_SECURITY_MIRROR",
      "--label",
      `${TEST_LABEL}=root-image`,
      "-t",
      ROOT_IMAGE,
      ROOT,
    ],
    env,
    log,
  );
  const after = (await docker(["image", "inspect", "--format", "{{.Id}}", ROOT_IMAGE])).stdout.trim();
  if (before && before !== after) await docker(["rmi", before]);
  return { image: ROOT_IMAGE, buildMs: monoMs() - t0, log };
}
