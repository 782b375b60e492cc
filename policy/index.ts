import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("mendix-cluster-security", {
    description: "The mendix-azure-ha stack's security posture: storage, SQL, VMs, network and secrets.",
    enforcementLevel: "mandatory",
    policies: [...policies],
});
