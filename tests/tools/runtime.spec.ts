/**
 * The runtime: Node 22 LTS (`@pulumi/pulumi` 3.270 declares `engines.node >= 22`; Node 20 reached end of
 * life in April 2026). `.nvmrc` pins the exact version in one place; everything else follows its major:
 * `engines`, `@types/node`, the workflows (through setup-node's `node-version-file`, which the workflow
 * audit holds) and the README. `.ci/node.sh` brings that version onto a machine whose node is older.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const PINNED = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
const MAJOR = Number(PINNED.split(".")[0]);
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

function majorOf(version: string): number {
    return Number(version.replace(/^v/, "").split(".")[0]);
}

describe("runtime", () => {
    it(".nvmrc pins one exact Node version of an LTS line no older than 22", () => {
        assert.match(PINNED, /^\d+\.\d+\.\d+$/);
        assert.ok(MAJOR >= 22 && MAJOR % 2 === 0, `.nvmrc pins ${PINNED}`);
    });

    it("the tests run on that Node major or newer, and so does the npm that started them", () => {
        const fix = "run .ci/run, or .ci/with-node <command> on a machine with an older node";
        assert.ok(
            majorOf(process.versions.node) >= MAJOR,
            `the tests run on Node ${process.versions.node}; the project needs Node >= ${MAJOR} (.nvmrc): ${fix}`,
        );
        // npm reports the Node it runs on in its user agent ("npm/11.19.1 node/v22.23.3 linux x64 ...").
        const agent = process.env.npm_config_user_agent;
        const npmNode = agent === undefined ? undefined : /\bnode\/(v[\d.]+)/.exec(agent)?.[1];
        if (npmNode !== undefined) {
            assert.ok(majorOf(npmNode) >= MAJOR, `npm runs on Node ${npmNode}; ${fix}`);
        }
    });

    it("package.json requires that major: engines.node and @types/node follow .nvmrc", () => {
        assert.strictEqual(pkg.engines.node, `>=${MAJOR}`);
        assert.match(pkg.devDependencies["@types/node"], new RegExp(`^\\^${MAJOR}\\.`));
    });

    it("the README's prerequisites name that major", () => {
        const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n");
        const freshClone = lines.find((l) => l.startsWith("## Try it on a fresh clone"));
        const deploy = lines.find((l) => l.startsWith("Prerequisites:"));
        assert.strictEqual(freshClone, `## Try it on a fresh clone (Node ${MAJOR} or newer, npm)`);
        assert.ok(deploy?.includes(`Node ${MAJOR} or newer`), deploy);
    });
});

/**
 * `.ci/node.sh` against fake `node` and `npm` executables: the fake npm records its arguments and
 * "installs" a fake node of the requested version, so the decisions run offline in milliseconds.
 */
describe("runtime: .ci/node.sh brings the pinned Node onto an older machine", () => {
    function sandbox(machineNode: string, nvmrc = PINNED) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-node-"));
        const fake = path.join(dir, "fake-bin");
        fs.mkdirSync(path.join(dir, ".ci"));
        fs.mkdirSync(fake);
        fs.copyFileSync(path.join(ROOT, ".ci", "node.sh"), path.join(dir, ".ci", "node.sh"));
        fs.writeFileSync(path.join(dir, ".nvmrc"), `${nvmrc}\n`);
        const node = (version: string) =>
            `#!/bin/sh\nif [ "$1" = --version ]; then echo v${version}; else echo ${version.split(".")[0]}; fi\n`;
        fs.writeFileSync(path.join(fake, "node"), node(machineNode), { mode: 0o755 });
        // The fake npm writes what `npm install --prefix <dir>` of the package `node` would put there.
        const installed = node(PINNED).replace(/'/g, "'\\''");
        const npm = [
            "#!/bin/sh",
            `echo "$*" >> "${dir}/npm-calls"`,
            'prefix="$3"',
            'mkdir -p "$prefix/node_modules/.bin"',
            `printf '%s' '${installed}' > "$prefix/node_modules/.bin/node"`,
            'chmod +x "$prefix/node_modules/.bin/node"',
        ].join("\n");
        fs.writeFileSync(path.join(fake, "npm"), `${npm}\n`, { mode: 0o755 });
        const run = () =>
            spawnSync("bash", ["-c", "source .ci/node.sh && ci_use_pinned_node && command -v node && node --version"], {
                cwd: dir,
                encoding: "utf8",
                // Not a socket on stdin (Node's default pipe), which bash takes for rshd and reads ~/.bashrc.
                stdio: ["ignore", "pipe", "pipe"],
                env: { PATH: `${fake}:/usr/bin:/bin` },
            });
        const calls = () => {
            const file = path.join(dir, "npm-calls");
            return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n") : [];
        };
        return { dir, fake, run, calls };
    }

    it("node 20: installs node@<.nvmrc> into .ci/.node with its install script approved, and puts it first", () => {
        const box = sandbox("20.20.2");
        const res = box.run();
        const prefix = path.join(box.dir, ".ci", ".node");
        assert.strictEqual(res.status, 0, res.stderr);
        assert.strictEqual(res.stdout, `${prefix}/node_modules/.bin/node\nv${PINNED}\n`);
        assert.deepStrictEqual(box.calls(), [`install --prefix ${prefix} --no-audit --no-fund --loglevel=error`]);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(prefix, "package.json"), "utf8")), {
            private: true,
            dependencies: { node: PINNED },
            allowScripts: { [`node@${PINNED}`]: true },
        });
    });

    it("node 20 again: reuses the installed binary without calling npm", () => {
        const box = sandbox("20.20.2");
        assert.strictEqual(box.run().status, 0);
        const again = box.run();
        assert.strictEqual(again.status, 0, again.stderr);
        assert.strictEqual(again.stdout.split("\n")[1], `v${PINNED}`);
        assert.strictEqual(box.calls().length, 1);
    });

    it(`node ${MAJOR} or newer: used as it is, nothing installed`, () => {
        const box = sandbox(`${MAJOR + 2}.1.0`);
        const res = box.run();
        assert.strictEqual(res.status, 0, res.stderr);
        assert.strictEqual(res.stdout, `${box.fake}/node\nv${MAJOR + 2}.1.0\n`);
        assert.deepStrictEqual(box.calls(), []);
        assert.ok(!fs.existsSync(path.join(box.dir, ".ci", ".node")));
    });

    it("an .nvmrc that is not one exact version: exit 2 naming it", () => {
        const box = sandbox("20.20.2", "lts/jod");
        const res = box.run();
        assert.strictEqual(res.status, 2);
        assert.strictEqual(
            res.stderr,
            "error: .nvmrc must hold one exact Node version such as 22.23.3; found 'lts/jod'\n",
        );
        assert.deepStrictEqual(box.calls(), []);
    });
});
