/**
 * Identity across refactorings. Pulumi keys state by URN, and a URN names the chain of parent types: a
 * resource that moves under a new component is a new resource unless it carries an alias to its old
 * parent. Components that take over existing children accept the old parent and pass it down here.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * The alias option for children that used to be created directly under `formerParent` (same name, same
 * type), or nothing when they were always where they are.
 */
export function formerParentAliases(formerParent: pulumi.Resource | undefined): {
    aliases?: pulumi.Input<pulumi.Alias>[];
} {
    return formerParent ? { aliases: [{ parent: formerParent }] } : {};
}
