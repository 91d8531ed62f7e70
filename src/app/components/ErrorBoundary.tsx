import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Where the boundary sits, for the message ("the ring view"). */
  readonly area: string;
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | null;
}

/** Keeps one failing view from blanking the app: it says what broke and offers to retry. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`IPC Scope: ${this.props.area} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="panel-error" role="alert">
        <strong>{this.props.area} failed to draw.</strong> {this.state.error.message}
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
