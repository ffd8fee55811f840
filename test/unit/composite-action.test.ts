// The composite-action runner the action tests use (test/helpers/composite-action.ts) does what GitHub's
// runner does with a small action: inputs by default or given, as ${{ inputs.x }} and INPUT_X, a step's
// outputs in the next one and in the action's, GITHUB_ENV lines in later steps, multi-line values, bash
// with -e, only `if: always()` steps after a failure; and it refuses what it does not emulate.
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCompositeAction } from "../helpers/composite-action.ts";
import { tmp } from "../helpers/tmp.ts";

const ACTION = `name: t
inputs:
  who: { default: world }
  code: { default: "0" }
outputs:
  greeting: { value: "\${{ steps.hello.outputs.greeting }}" }
  lines: { value: "\${{ steps.hello.outputs.lines }}" }
runs:
  using: composite
  steps:
    - id: hello
      shell: bash
      env: { WHO: "\${{ inputs.who }}" }
      run: |
        echo "greeting=hello $WHO from $INPUT_WHO" >> "$GITHUB_OUTPUT"
        printf 'lines<<EOF\\none\\ntwo\\nEOF\\n' >> "$GITHUB_OUTPUT"
        echo "LATER=set by hello" >> "$GITHUB_ENV"
    - uses: actions/upload-artifact@v4
      with: { name: "\${{ inputs.who }}", path: out }
    - id: fail
      shell: bash
      run: |
        false
        echo "not reached: bash runs with -e"
        exit 0
      env: { CODE: "\${{ inputs.code }}" }
    - id: skipped
      shell: bash
      run: |
        echo "after a failure, only always()"
    - id: always
      if: always()
      shell: bash
      run: |
        echo "always: $LATER, \${{ steps.hello.outputs.greeting }}"
`;

async function action(text: string): Promise<string> {
  const dir = await tmp();
  writeFileSync(join(dir, "action.yml"), text);
  return dir;
}

describe("runCompositeAction", () => {
  it("runs the run steps as GitHub would: inputs, outputs, GITHUB_ENV, -e, if: always()", async () => {
    const dir = await action(ACTION);
    const r = runCompositeAction({
      actionPath: dir,
      inputs: { who: "drill" },
      cwd: dir,
      temp: mkdtempSync(join(dir, "t-")),
      env: { PATH: process.env.PATH! },
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({ greeting: "hello drill from drill", lines: "one\ntwo" });
    expect(r.env).toEqual({ LATER: "set by hello" });
    expect(r.steps.map((s) => s.id ?? s.uses)).toEqual(["hello", "actions/upload-artifact@v4", "fail", "always"]);
    expect(r.steps[1]!.with).toEqual({ name: "drill", path: "out" });
    expect(r.steps[2]!.out).not.toContain("not reached");
    expect(r.steps[3]!.out!.trim()).toBe("always: set by hello, hello drill from drill");
  });

  it("refuses an input the action lacks, an if: it cannot evaluate, an expression beyond names", async () => {
    const dir = await action(ACTION);
    const run =
      (actionPath: string, inputs: Record<string, string> = {}) =>
      () =>
        runCompositeAction({ actionPath, inputs, cwd: dir, temp: dir, env: {} });
    expect(run(dir, { whom: "x" })).toThrow("the action has no input whom");
    expect(run(await action(ACTION.replace("if: always()", "if: success()")))).toThrow("unsupported if: success()");
    expect(run(await action(ACTION.replace("${{ inputs.code }}", "${{ format('{0}', inputs.code) }}")))).toThrow(
      /unsupported expression: format/,
    );
  });
});
