import { loadGroup } from "./partition";

loadGroup("checks");
