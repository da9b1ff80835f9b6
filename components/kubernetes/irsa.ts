/** IAM roles for service accounts (IRSA): the trust policy that binds a role to one service account. */

/** Trust policy of an IRSA role: only `serviceAccount`, presenting a token for STS, from this cluster's issuer. */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, serviceAccount: string): object {
    const issuer = oidcIssuer.replace(/^https:\/\//, "");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { [`${issuer}:sub`]: serviceAccount, [`${issuer}:aud`]: "sts.amazonaws.com" },
                },
            },
        ],
    };
}
