/** Small endpoints and probes for unit tests of one hop evaluator at a time. */
import type { Endpoint, Probe } from "../../harness/connectivity/types";

export function endpoint(partial: Partial<Endpoint> & Pick<Endpoint, "cloud">): Endpoint {
    return { ref: "test", label: "test endpoint", cidrs: ["10.0.0.0/24"], ...partial };
}

export function probe(source: Endpoint, destination: Endpoint, port = 443, extra: Partial<Probe> = {}): Probe {
    return {
        source,
        destination,
        sourceCidr: source.cidrs[0],
        destinationCidr: destination.cidrs[0],
        port,
        protocol: "tcp",
        ...extra,
    };
}
