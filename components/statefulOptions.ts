/**
 * Resource options for what holds data (SQL, storage): protected against `pulumi destroy` and
 * against deletion by an edit, and left in Azure if removed from the program.
 */
export interface StatefulOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
}

export function statefulOptions(protect: boolean): StatefulOptions {
    return { protect, retainOnDelete: protect };
}
