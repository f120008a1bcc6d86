// Typed access to the webview host API. `acquireVsCodeApi` may be called once per page,
// so every panel script gets it through here.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel<Outgoing, State> {
  post(message: Outgoing): void;
  /** The last saved state, or undefined when there is none or it fails `isState`. */
  loadState(isState: (value: unknown) => value is State): State | undefined;
  saveState(state: State): void;
}

let api: VsCodeApi | undefined;

export function connectToHost<Outgoing, State>(): HostChannel<Outgoing, State> {
  api ??= acquireVsCodeApi();
  const host = api;
  return {
    post: (message) => host.postMessage(message),
    loadState: (isState) => {
      const state = host.getState();
      return isState(state) ? state : undefined;
    },
    saveState: (state) => host.setState(state),
  };
}
