// Grades from a webview are saved one after another, in the order the person gave them, and the
// panel knows the last one saved: its next grades message carries that `appliedSeq`, so the webview
// keeps newer edits on screen until they are saved too. Shared by run panels and compare panels.
import * as vscode from 'vscode';

export class GradeSaves {
  private queue: Promise<void> = Promise.resolve();
  private saved = 0;

  /** The highest `seq` done (saved, or failed and reported: a failed grade is not tried again). */
  get savedSeq(): number {
    return this.saved;
  }

  /** Runs `save` after the grades given before it; a failure is shown as a warning, not thrown. */
  save(seq: number, save: () => Promise<void>): Promise<void> {
    const done = this.queue.then(async () => {
      try {
        await save();
      } catch (error) {
        void vscode.window.showWarningMessage(
          `Could not save the grade: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      this.saved = Math.max(this.saved, seq);
    });
    this.queue = done;
    return done;
  }
}
