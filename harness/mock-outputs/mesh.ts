/** Kubernetes-side behaviour the mesh reads back: the service-account token controller. */
import type { MockContext } from "../mocks";

/** The token the controller writes into a service-account token Secret, before base64. */
export const mockServiceAccountToken = (secretName: string) => `token-of-${secretName}`;

export const outputs = {
    // Once a `kubernetes.io/service-account-token` Secret exists, the controller fills in its token.
    "kubernetes:core/v1:Secret": (ctx: MockContext) =>
        ctx.inputs.type === "kubernetes.io/service-account-token"
            ? {
                  data: {
                      ...(ctx.inputs.data ?? {}),
                      token: Buffer.from(mockServiceAccountToken(ctx.inputs.metadata.name), "utf8").toString("base64"),
                  },
              }
            : {},
};
