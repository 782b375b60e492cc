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
