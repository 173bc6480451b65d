/**
 * A decider (Jérémie Chassaing's pattern, as in emmett's `Decider` type):
 * `decide` turns a command into events given the current state, `evolve`
 * folds one event into state. Both pure: no I/O, no clock, no randomness.
 * Facts from other streams and the current time arrive in `context`.
 */
export interface Decider<Command, Event, State, Context = DecisionContext> {
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** What every decision may know besides the stream's own state. */
export interface DecisionContext {
  /** The ledger's current time (ISO 8601), so that future business dates are refused. */
  now: string;
}

export interface Message<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** Replays events into state: the whole of "loading an aggregate". */
export function fold<Event, State>(
  decider: Pick<Decider<never, Event, State, never>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}
