// Every target drdrill can stand up, by name. A new target is one file plus one line here.
import type { Target } from "./target.ts";
import { localTarget } from "./local/local.ts";
import { labTarget } from "./lab/lab.ts";
import { sshTarget } from "./ssh/ssh.ts";
import { vmTarget } from "./vm/vm.ts";

export const TARGETS: Record<string, Target> = {
  [localTarget.name]: localTarget,
  [labTarget.name]: labTarget,
  [sshTarget.name]: sshTarget,
  [vmTarget.name]: vmTarget,
};
