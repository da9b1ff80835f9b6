/** What the rules between entries share: an entry with its name, and tolerant readers of raw data. */
import { catalogProblem, isObject, isStringList, type Explanation, type Site } from "./format";

export interface Named {
    readonly site: Site;
    readonly name: string;
}

/** The strings of a list, or none when it is malformed (reported by the entry's own rules). */
export const strings = (v: unknown): string[] => (isStringList(v) ? v : []);
/** The objects of a list, or none. */
export const objects = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);
/** The object at `key`, or an empty one. */
export const section = (v: Record<string, unknown>, key: string): Record<string, unknown> =>
    isObject(v[key]) ? v[key] : {};

export function problemOf(site: Site, key: string, e: Explanation, received: unknown): string {
    return catalogProblem(site.file, `${site.path}.${key}`, e, received);
}
