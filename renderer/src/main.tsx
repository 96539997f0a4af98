/** Renderer entry: registers the grid's Community modules once and mounts the app. */
import {
  CellStyleModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  CustomFilterModule,
  DateFilterModule,
  EventApiModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  NumberFilterModule,
  RowApiModule,
  ScrollApiModule,
  TextFilterModule,
  TooltipModule,
} from 'ag-grid-community';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// Only what the window uses (sorting, resizing, moving and pinning are in the core): a smaller bundle
// loads faster, and a feature used without its module shows up as a console error in the e2e run.
ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  TextFilterModule,
  NumberFilterModule,
  DateFilterModule,
  CustomFilterModule,
  TooltipModule,
  CellStyleModule,
  ColumnApiModule,
  // Widths fitted to the first rows on screen, and again on "Reset layout".
  ColumnAutoSizeModule,
  // Reset layout fits the widths again once the grid has re-read its rows (a one-shot listener).
  EventApiModule,
  // Blocks asked for at the scroll (grid/blocks-ahead.ts): the rows' height and the body's height as
  // the grid's row renderer uses them (getRenderedNodes, getVerticalPixelRange).
  RowApiModule,
  ScrollApiModule,
]);

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
