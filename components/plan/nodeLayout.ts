/**
 * Where things live on a node. The data disk holds the Service Console's "location of apps and
 * server files" (Mendix docs, "Deploy Mendix on Microsoft Windows"), so apps survive an OS disk loss.
 */
export const dataDiskLun = 0;
export const dataDriveLetter = "M";
/** The Service Console's "location of apps and server files". */
export const serviceConsoleLocation = `${dataDriveLetter}:\\Mendix`;
/** The folder that holds one folder per app (Mendix docs' examples: `<location>\Apps\<app>`). */
export const appsRoot = `${serviceConsoleLocation}\\Apps`;
/** The node agent's own log (agent/README.md; `AppFolders.AgentLogFile` in the agent). */
export const agentLogFile = `${appsRoot}\\node-agent\\agent.log`;
/** Where the Service Console has an app's runtime write its log files (the app folder's `Log`). */
export const appLogFolder = (app: string) => `${appsRoot}\\${app}\\Log`;
