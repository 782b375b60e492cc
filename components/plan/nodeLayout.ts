/**
 * Where things live on a node. The data disk holds the Service Console's "location of apps and
 * server files" (Mendix docs, "Deploy Mendix on Microsoft Windows"), so apps survive an OS disk loss.
 */
export const dataDiskLun = 0;
export const dataDriveLetter = "M";
export const appsRoot = `${dataDriveLetter}:\\Mendix`;
