// The lab node's life in one value: which node runs (the first one, or a fresh one that replaced it,
// perhaps at site B), what its services are doing, and what its data directory holds. Every change
// is a transition here; one that makes no sense (starting the services of a killed node, putting a
// restored tree in place while they run) is refused with an error that says so.

/** Where the node came from. A fresh node replaced a lost one: new keys and passwords, nothing seeded. */
export type NodeOrigin =
  | { kind: "first" }
  | {
      kind: "fresh";
      /** Started in the secondary site's network. */
      atSite: boolean;
      /** What the pre-disaster token got from the fresh node before the restore (401 proves it fresh). */
      oldTokenBefore: number | null;
    };

/** What the data directory holds. */
export type LabData =
  /** The node's own cloud: the baked one, or a fresh node's newly initialised one. */
  | { kind: "own" }
  /** The drill's dataset; `checked` once a health check downloaded and hashed every image. */
  | { kind: "seeded"; checked: boolean }
  /** A restored tree; `hotCopy` when the consistent mariabackup copy replaced the live InnoDB files. */
  | { kind: "restored"; hotCopy: boolean };

interface OnNode<N> {
  node: N;
  origin: NodeOrigin;
}

export type LabLife<N> =
  /** Services up (`snap start microstack`). */
  | (OnNode<N> & { state: "running"; data: LabData })
  /** `snap start` failed (after a bad restore, say): the drill's result, which health reports. */
  | (OnNode<N> & { state: "start-failed"; data: LabData; error: string })
  /** Services stopped (`snap stop microstack`). */
  | (OnNode<N> & { state: "stopped"; data: LabData })
  /** Killed with its site, mid-write: its data is lost, and the next restore needs a new node. */
  | (OnNode<N> & { state: "crashed" })
  /** The lost node is removed and a fresh one is starting. */
  | { state: "replacing" }
  /** The container is removed: the drill is over. */
  | { state: "removed" };

export type LabState = LabLife<unknown>["state"];
type Of<N, S extends LabState> = Extract<LabLife<N>, { state: S }>;
type Serving<N> = Of<N, "running" | "start-failed" | "stopped">;

export class RefusedTransition extends Error {
  constructor(what: string, state: LabState) {
    super(`the lab node cannot ${what} while ${state}`);
    this.name = "RefusedTransition";
  }
}

function serving<N>(life: LabLife<N>, what: string): Serving<N> {
  if (life.state === "running" || life.state === "start-failed" || life.state === "stopped") return life;
  throw new RefusedTransition(what, life.state);
}

/** The node, in every state that has one. */
export function nodeOf<N>(life: LabLife<N>): N {
  if ("node" in life) return life.node;
  throw new RefusedTransition("be reached", life.state);
}

/** The first node, its services up, its own cloud in its data directory (stopped: a restore test's idle node). */
export function firstNode<N>(node: N, state: "running" | "stopped" = "running"): LabLife<N> {
  return { state, node, origin: { kind: "first" }, data: { kind: "own" } };
}

/** The drill's dataset was seeded through the API. */
export function seeded<N>(life: LabLife<N>): LabLife<N> {
  const l = serving(life, "be seeded");
  if (l.state === "start-failed") throw new RefusedTransition("be seeded", l.state);
  return { ...l, data: { kind: "seeded", checked: false } };
}

/** A health check that downloaded every image passed: later checks read Glance's records only. */
export function checked<N>(life: LabLife<N>): LabLife<N> {
  if ("data" in life && life.data.kind === "seeded") return { ...life, data: { kind: "seeded", checked: true } };
  return life;
}

/** `snap stop microstack` (also when they are stopped already, or failed to start). */
export function quiesced<N>(life: LabLife<N>): LabLife<N> {
  const { node, origin, data } = serving(life, "stop its services");
  return { state: "stopped", node, origin, data };
}

/** `snap start microstack`, and how it went: `error` when it failed. */
export function resumed<N>(life: LabLife<N>, error: string | null): LabLife<N> {
  const { node, origin, data } = serving(life, "start its services");
  return error === null
    ? { state: "running", node, origin, data }
    : { state: "start-failed", node, origin, data, error };
}

/** The site is lost: the node's container is killed. */
export function crashed<N>(life: LabLife<N>): LabLife<N> {
  const { node, origin } = serving(life, "be killed");
  return { state: "crashed", node, origin };
}

/**
 * Whether a restore needs a new node first: a killed node always does; otherwise a first node does
 * when the scenario restores onto a fresh node or at site B (a fresh node is restored onto as it is).
 */
export function needsNewNode<N>(life: LabLife<N>, restoreOnto: "same-node" | "fresh-node" | "site"): boolean {
  if (life.state === "crashed") return true;
  return restoreOnto !== "same-node" && "origin" in life && life.origin.kind === "first";
}

/** The lost node's container was removed; a fresh one is starting. */
export function replacing<N>(life: LabLife<N>): LabLife<N> {
  if (!needsNewNode(life, "fresh-node")) throw new RefusedTransition("be replaced", life.state);
  return { state: "replacing" };
}

/** The fresh node is up, its services running on its own new cloud. */
export function replaced<N>(
  life: LabLife<N>,
  node: N,
  fresh: { atSite: boolean; oldTokenBefore: number | null },
): LabLife<N> {
  if (life.state !== "replacing") throw new RefusedTransition("take a fresh node", life.state);
  return { state: "running", node, origin: { kind: "fresh", ...fresh }, data: { kind: "own" } };
}

/** A restored tree was moved into the data directory, the services stopped. */
export function dataReplaced<N>(life: LabLife<N>): LabLife<N> {
  if (life.state !== "stopped") throw new RefusedTransition("have its data replaced", life.state);
  return { ...life, data: { kind: "restored", hotCopy: false } };
}

/** Hot mode: the consistent mariabackup copy replaced the restored live InnoDB files. */
export function hotCopyUsed<N>(life: LabLife<N>): LabLife<N> {
  if (life.state !== "stopped" || life.data.kind !== "restored")
    throw new RefusedTransition("use the hot copy before a restore", life.state);
  return { ...life, data: { kind: "restored", hotCopy: true } };
}

/** The container is gone; returns the node whose container is to be removed, if any. */
export function removed<N>(life: LabLife<N>): { life: LabLife<N>; remove: N | null } {
  return { life: { state: "removed" }, remove: "node" in life ? life.node : null };
}

/** Its services count as running (a failed start too: a person started them, and they failed). */
export function servicesRunning<N>(life: LabLife<N>): boolean {
  return life.state === "running" || life.state === "start-failed";
}
