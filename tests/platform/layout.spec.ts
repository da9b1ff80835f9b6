/**
 * The shape of the repository, as the README's "Layout" section promises it: components by domain,
 * small files, dependencies pointing one way. Each rule is one a future change could quietly break.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const SKIP = new Set(["node_modules", ".git", ".ci/.node"]);
const SOURCE = /\.(ts|mjs|js|sh)$|^run$|^with-node$/;
/** The size a reader can hold in mind; the README's layout rule. */
const MAX_SOURCE_LINES = 400;

function files(dir = ""): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.posix.join(dir, e.name);
        if (SKIP.has(rel) || SKIP.has(e.name)) return [];
        return e.isDirectory() ? files(rel) : [rel];
    });
}

const sources = files().filter((f) => SOURCE.test(path.basename(f)));
const ts = sources.filter((f) => f.endsWith(".ts"));
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

/** Relative import specifiers of a TypeScript file, resolved to repository paths. */
function imports(file: string): string[] {
    const specs = [...read(file).matchAll(/(?:from|import|require)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map(
        (m) => m[1],
    );
    return specs.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

const importersOf = (from: (f: string) => boolean, to: string) =>
    ts.filter(from).flatMap((f) =>
        imports(f)
            .filter((i) => i === to || i.startsWith(`${to}/`))
            .map((i) => `${f} -> ${i}`),
    );

describe("repository layout", () => {
    it("components/ holds domain folders; at its root only index.ts and versions.ts", () => {
        const root = fs.readdirSync(path.join(ROOT, "components"), { withFileTypes: true });
        assert.deepStrictEqual(
            root
                .filter((e) => e.isFile())
                .map((e) => e.name)
                .sort(),
            ["index.ts", "versions.ts"],
        );
    });

    it(`no source file is longer than ${MAX_SOURCE_LINES} lines`, () => {
        const long = sources
            .map((f) => [f, read(f).split("\n").length - 1] as const)
            .filter(([, n]) => n > MAX_SOURCE_LINES)
            .map(([f, n]) => `${f} (${n})`);
        assert.deepStrictEqual(long, []);
    });

    it("program/main.ts stays a table of contents", () => {
        assert.ok(read("program/main.ts").split("\n").length <= 100, "program/main.ts is over 100 lines");
    });

    it("each folder's index.ts only re-exports", () => {
        const indexes = ts.filter((f) => f.startsWith("components/") && path.basename(f) === "index.ts");
        for (const f of indexes) {
            const code = read(f)
                .replace(/\/\*[\s\S]*?\*\//g, "")
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => l && !l.startsWith("//"));
            const other = code.filter((l) => !/^export \* (as \w+ )?from "\.\/[\w/-]+";$/.test(l));
            assert.deepStrictEqual(other, [], f);
        }
    });

    it("dependencies point one way", () => {
        const outsideTests = (f: string) => !f.startsWith("tests/");
        assert.deepStrictEqual(importersOf(outsideTests, "tests"), [], "only tests import tests/");
        const components = (f: string) => f.startsWith("components/");
        for (const forbidden of ["config", "catalog", "program", "harness", "tools", "policy"]) {
            assert.deepStrictEqual(importersOf(components, forbidden), [], `components never import ${forbidden}/`);
        }
        const shared = (f: string) => f.startsWith("components/shared/");
        const otherDomains = ts
            .filter(shared)
            .flatMap((f) =>
                imports(f).filter((i) => i.startsWith("components/") && !i.startsWith("components/shared")),
            );
        assert.deepStrictEqual(otherDomains, [], "components/shared imports no domain");
        const policy = (f: string) => f.startsWith("policy/");
        for (const forbidden of ["program", "config", "harness", "tests", "tools"]) {
            assert.deepStrictEqual(importersOf(policy, forbidden), [], `the policy pack stays publishable alone`);
        }
    });

    it("every path the README's layout names exists", () => {
        const readme = read("README.md");
        const block = readme.slice(readme.indexOf("## Layout")).split("```")[1];
        const named = block
            .split("\n")
            .map((l) => l.split(/\s+/)[0])
            .filter((p) => p && !p.includes("<"));
        assert.ok(named.length >= 10, `the layout block names ${named.length} paths`);
        for (const p of named)
            assert.ok(fs.existsSync(path.join(ROOT, p)), `README layout names ${p}, which is missing`);
    });
});
