import { mendixClusterProgram } from "./components/program";

const outputs = mendixClusterProgram();

export const url = outputs.url;
export const publicIpAddress = outputs.publicIpAddress;
export const nodes = outputs.nodes;
export const leader = outputs.leader;
export const settingsBlobs = outputs.settingsBlobs;
export const sqlServerHost = outputs.sqlServerHost;
export const databaseNames = outputs.databaseNames;
export const storageAccountName = outputs.storageAccountName;
export const nodeUpdateTags = outputs.nodeUpdateTags;
export const unlicensedApps = outputs.unlicensedApps;
