/**
 * Names promised to requests whose password is still being hashed, so that uniqueness and the
 * caps count them before the work is spent: a flood of createRoom or inviteUser past a cap is
 * refused at once instead of hashing first and failing afterwards.
 */
export class SlotReservations<Scope> {
  private readonly held = new Map<Scope, Set<string>>();

  holds(scope: Scope, name: string): boolean {
    return this.held.get(scope)?.has(name) ?? false;
  }

  count(scope: Scope): number {
    return this.held.get(scope)?.size ?? 0;
  }

  /** Reserves `name` in `scope`; call the returned function once the request is done. */
  reserve(scope: Scope, name: string): () => void {
    let names = this.held.get(scope);
    if (!names) this.held.set(scope, (names = new Set()));
    names.add(name);
    return () => {
      names.delete(name);
      if (names.size === 0 && this.held.get(scope) === names) this.held.delete(scope);
    };
  }
}
