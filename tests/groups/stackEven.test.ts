import { loadGroup } from "./partition";

loadGroup("stackEven");
