/**
 * Which resource types take tags (AWS) or labels (GCP), read from the pinned provider SDKs: a type is
 * taggable when its `<Resource>Args` interface has a top-level `tags`, `labels` or `resourceLabels`
 * input. The policy pack reads the committed result (policy/generated/tag-support.json); a test
 * regenerates it and fails when an SDK upgrade changed the answer.
 *
 * Usage: npx tsx tools/tag-support.ts [--write]
 */
import * as fs from "fs";
import * as path from "path";

export interface TagSupport {
    /** SDK versions the lists were read from. */
    readonly versions: { readonly aws: string; readonly gcp: string };
    /** AWS resource types with a `tags` input. */
    readonly awsTaggable: string[];
    /** GCP resource types with labels, to the name of their label input. */
    readonly gcpLabelable: Record<string, "labels" | "resourceLabels">;
}

export const TAG_SUPPORT_FILE = path.resolve(__dirname, "../policy/generated/tag-support.json");

function walk(dir: string, out: string[] = []): string[] {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            if (e.name !== "types" && e.name !== "node_modules") walk(p, out);
        } else if (e.name.endsWith(".js")) out.push(p);
    }
    return out;
}

/** Top-level input names of `interface <cls>Args` in a resource's declaration file. */
function argNames(dts: string, cls: string): Set<string> {
    const start = dts.indexOf(`export interface ${cls}Args {`);
    if (start < 0) return new Set();
    const end = dts.indexOf("\n}", start);
    const body = dts.slice(start, end);
    return new Set([...body.matchAll(/^ {4}(?:readonly )?([A-Za-z0-9_]+)\??:/gm)].map((m) => m[1]));
}

function scan(pkgDir: string, fields: readonly string[]): Map<string, string> {
    const found = new Map<string, string>();
    for (const js of walk(pkgDir)) {
        const src = fs.readFileSync(js, "utf8");
        const m = /static __pulumiType = '([^']+)';/.exec(src);
        if (!m) continue;
        const cls = /^class (\w+) extends pulumi\.CustomResource/m.exec(src)?.[1];
        if (!cls) continue;
        const dtsFile = js.replace(/\.js$/, ".d.ts");
        if (!fs.existsSync(dtsFile)) continue;
        const names = argNames(fs.readFileSync(dtsFile, "utf8"), cls);
        const field = fields.find((f) => names.has(f));
        if (field) found.set(m[1], field);
    }
    return found;
}

export function computeTagSupport(): TagSupport {
    const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const gcpRoot = path.dirname(require.resolve("@pulumi/gcp/package.json"));
    const version = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
    const aws = scan(root, ["tags"]);
    const gcp = scan(gcpRoot, ["labels", "resourceLabels"]);
    return {
        versions: { aws: version(root), gcp: version(gcpRoot) },
        awsTaggable: [...aws.keys()].sort(),
        gcpLabelable: Object.fromEntries(
            [...gcp.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
        ) as TagSupport["gcpLabelable"],
    };
}

export function serializeTagSupport(t: TagSupport): string {
    return JSON.stringify(t, null, 1) + "\n";
}

if (require.main === module) {
    const text = serializeTagSupport(computeTagSupport());
    if (process.argv.includes("--write")) {
        fs.writeFileSync(TAG_SUPPORT_FILE, text);
        console.log(`wrote ${TAG_SUPPORT_FILE}`);
    } else {
        process.stdout.write(text);
    }
}
