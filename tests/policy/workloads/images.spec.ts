/** Images are pinned (digest or immutable tag, never latest or none) and come from allowed registries. */
import * as assert from "assert";
import { containerImagesPinned, parseImage, registryPattern } from "../../../policy/policies/workloads";
import { check, messages } from "../fixtures";
import { container, deployment, DIGEST, IMAGE } from "./helpers";

const ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders";
const withImage = (image: string) => deployment(container((c) => (c.image = image)));
const problem = (image: string, what: string) =>
    `Deployment "orders" in namespace "services-prod": container "app" image "${image}" ${what}.`;

describe("policy container-images-pinned", () => {
    it("passes an ECR image with a release tag, and ECR and Artifact Registry images by digest", async () => {
        for (const image of [
            IMAGE,
            `${ECR}@${DIGEST}`,
            `${ECR}:1.4.2@${DIGEST}`,
            `europe-west1-docker.pkg.dev/p/r/orders@${DIGEST}`,
        ]) {
            assert.deepStrictEqual(await check(containerImagesPinned, [withImage(image)]), [], image);
        }
    });

    it("catches the latest tag", async () => {
        assert.deepStrictEqual(messages(await check(containerImagesPinned, [withImage(`${ECR}:latest`)])), [
            problem(`${ECR}:latest`, 'uses the moving tag "latest"'),
        ]);
    });

    it("catches an image with no tag, which means latest", async () => {
        assert.deepStrictEqual(messages(await check(containerImagesPinned, [withImage(ECR)])), [
            problem(ECR, "has no tag or digest, so it means latest"),
        ]);
    });

    it("catches a registry outside the list, and a look-alike host", async () => {
        const allowed = "(*.dkr.ecr.*.amazonaws.com/, *-docker.pkg.dev/)";
        for (const image of [
            "docker.io/library/nginx:1.27",
            "evil.com/123.dkr.ecr.x.amazonaws.com/a:1",
            "nginx:1.27",
        ]) {
            assert.deepStrictEqual(messages(await check(containerImagesPinned, [withImage(image)])), [
                problem(image, `is not from an allowed registry ${allowed}`),
            ]);
        }
    });

    it("catches a malformed digest", async () => {
        const image = `${ECR}@sha256:abc`;
        assert.deepStrictEqual(messages(await check(containerImagesPinned, [withImage(image)])), [
            problem(image, "has a malformed digest"),
        ]);
    });

    it("with requireDigest, refuses tags; mutableTags and allowedRegistries are configurable", async () => {
        assert.deepStrictEqual(
            messages(await check(containerImagesPinned, [withImage(IMAGE)], { requireDigest: true })),
            [problem(IMAGE, "is not pinned by digest")],
        );
        const stable = `${ECR}:stable`;
        assert.deepStrictEqual(
            messages(await check(containerImagesPinned, [withImage(stable)], { mutableTags: ["latest", "stable"] })),
            [problem(stable, 'uses the moving tag "stable"')],
        );
        assert.deepStrictEqual(
            await check(containerImagesPinned, [withImage("ghcr.io/acme/orders:1.0.0")], {
                allowedRegistries: ["ghcr.io/acme/"],
            }),
            [],
        );
    });

    it("reads a registry port as no tag, and * as one host label run", () => {
        assert.deepStrictEqual(parseImage("registry:5000/orders"), { repository: "registry:5000/orders" });
        assert.deepStrictEqual(parseImage("registry:5000/orders:2@sha256:x"), {
            repository: "registry:5000/orders",
            tag: "2",
            digest: "sha256:x",
        });
        assert.ok(registryPattern("*-docker.pkg.dev/").test("us-central1-docker.pkg.dev/p/r/i"));
        assert.ok(!registryPattern("*-docker.pkg.dev/").test("evil.com/us-docker.pkg.dev/i"));
    });
});
