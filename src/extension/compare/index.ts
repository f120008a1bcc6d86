import type * as vscode from 'vscode';
import type { RunServices } from '../run';

export function registerCompareFeatures(_context: vscode.ExtensionContext, _run: RunServices): void {}
