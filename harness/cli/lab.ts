// `drdrill lab build|start|stop|status`: the MicroStack lab image and a container to poke at.
import { resolve } from "node:path";
import type { Command } from "commander";
import { EnvironmentError } from "../model/errors.ts";
// The lab's modules (Docker, testcontainers) are loaded by the action that needs them: declaring
// these commands for --help loads none of them.

const MANUAL_NAME = "drdrill-lab";
const say = (line: string) => process.stderr.write(`lab: ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a lab action; environment problems (no Docker, no image) print one line and exit 3. */
async function guarded(fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (e) {
    if (e instanceof EnvironmentError) {
      process.stderr.write(`drdrill lab: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
}

export function registerLabCommands(program: Command, setExitCode: (code: number) => void): void {
  const lab = program
    .command("lab")
    .description("The MicroStack lab: image (build) and a container to poke at (start, stop, status)");

  lab
    .command("build")
    .description(
      "Build the lab image (debootstrap, docker import, docker build); a no-op when the recipe in ci/lab is unchanged",
    )
    .option("--force", "rebuild even if the image for this recipe exists")
    .action(async (o: { force?: boolean }) => {
      setExitCode(
        await guarded(async () => {
          const { buildLabImage } = await import("../images/lab/build.ts");
          const r = await buildLabImage({ force: Boolean(o.force), say });
          if (r.cached) say(`${r.image} is up to date (recipe unchanged; checked in ${seconds(r.totalMs)})`);
          else
            say(
              `built ${r.image} in ${seconds(r.totalMs)} (base ${r.baseMs ? seconds(r.baseMs) : "cached"}, ` +
                `docker build ${seconds(r.buildMs)})`,
            );
        }),
      );
    });

  lab
    .command("start")
    .description(`Start a lab container named ${MANUAL_NAME} (or --name) and wait until OpenStack answers`)
    .option("--name <name>", "container name", MANUAL_NAME)
    .option("--fresh", "initialise a freshly keyed cloud (about 30 s) instead of unpacking the baked one")
    .option("--data <dir>", "bind-mount this host folder on /var/snap/microstack/common")
    .action(async (o: { name: string; fresh?: boolean; data?: string }) => {
      setExitCode(
        await guarded(async () => {
          const [{ startLabContainer }, { SNAP_COMMON }] = await Promise.all([
            import("../images/lab/container.ts"),
            import("../images/lab/names.ts"),
          ]);
          const c = await startLabContainer({
            role: "manual",
            name: o.name,
            fresh: Boolean(o.fresh),
            publishKeystone: true,
            ...(o.data ? { mounts: [{ source: resolve(o.data), target: SNAP_COMMON }] } : {}),
          });
          say(`${c.name} ready in ${seconds(c.readyMs)}: ${c.readyLine}`);
          process.stdout.write(
            [
              `docker exec ${c.name} microstack.openstack token issue`,
              `docker exec ${c.name} microstack.openstack image list`,
              `docker exec ${c.name} snap services microstack`,
              `docker exec ${c.name} snap stop microstack      # and: snap start microstack`,
              `docker exec -it ${c.name} bash                  # . $SNAP_COMMON/etc/microstack.rc`,
              `keystone from the host: ${c.keystoneUrl ?? "-"}`,
              `drdrill lab stop                                 # removes every drdrill lab container`,
            ].join("\n") + "\n",
          );
        }),
      );
    });

  lab
    .command("stop")
    .description("Remove lab containers: every container labelled drdrill, or only --name")
    .option("--name <name>", "only this container")
    .action(async (o: { name?: string }) => {
      setExitCode(
        await guarded(async () => {
          const [{ requireDocker }, { listLabContainers, removeAllLabContainers }, { removeContainers }] =
            await Promise.all([
              import("../images/docker.ts"),
              import("../images/lab/container.ts"),
              import("../images/labels.ts"),
            ]);
          await requireDocker();
          const gone = o.name
            ? await removeContainers((await listLabContainers()).filter((c) => c.name === o.name))
            : await removeAllLabContainers();
          say(gone.length > 0 ? `removed ${gone.join(", ")}` : "no lab containers");
        }),
      );
    });

  lab
    .command("status")
    .description("Show whether the image for the current recipe is built, and the lab containers")
    .action(async () => {
      setExitCode(
        await guarded(async () => {
          const [{ requireDocker }, { labStatus }] = await Promise.all([
            import("../images/docker.ts"),
            import("../images/lab/status.ts"),
          ]);
          await requireDocker();
          process.stdout.write(`${(await labStatus()).join("\n")}\n`);
        }),
      );
    });
}
