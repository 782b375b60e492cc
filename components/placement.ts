import * as pulumi from "@pulumi/pulumi";
import { ClusterNames } from "./plan/names";

/** Where every part of the cluster goes: shared by all the cluster's components. */
export interface Placement {
    readonly resourceGroupName: pulumi.Input<string>;
    /** The resource group's id, the root of the ids of sub-resources (probes, pools). */
    readonly resourceGroupId: pulumi.Input<string>;
    readonly location: pulumi.Input<string>;
    readonly names: ClusterNames;
    readonly tags: Readonly<Record<string, string>>;
}
