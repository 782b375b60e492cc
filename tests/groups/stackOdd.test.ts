import { loadGroup } from "./partition";

loadGroup("stackOdd");
