import { mendixClusterProgram } from "./components/program";

// Every property of the returned object is a stack output.
export = mendixClusterProgram();
