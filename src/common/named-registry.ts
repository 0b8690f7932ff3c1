/**
 * A closed list of names, each to be given exactly one handler by the context that owns it. Start-up
 * fails if a name is registered twice or not at all, so a flow that runs "every handler of the list"
 * can never silently skip one. `what` names the list in error messages.
 */
export class NamedRegistry<Name extends string, Handler> {
  private readonly handlers = new Map<Name, Handler>();

  constructor(
    private readonly what: string,
    readonly names: readonly Name[],
  ) {}

  register(name: Name, handler: Handler): void {
    if (this.handlers.has(name)) throw new Error(`${this.what} ${name} is registered twice`);
    this.handlers.set(name, handler);
  }

  missingHandlers(): Name[] {
    return this.names.filter((name) => !this.handlers.has(name));
  }

  /** Call from `onApplicationBootstrap`, once every module has registered. */
  assertComplete(): void {
    const missing = this.missingHandlers();
    if (missing.length > 0) throw new Error(`${this.what}s not registered: ${missing.join(', ')}`);
  }

  get(name: Name): Handler {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`${this.what} ${name} is not registered`);
    return handler;
  }

  /** The handlers in the order of the list, whatever the order of registration. */
  inOrder(): { name: Name; handler: Handler }[] {
    return this.names.map((name) => ({ name, handler: this.get(name) }));
  }
}
