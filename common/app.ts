/** The product name, shown in the window title and on every report. */
export const APP_NAME = 'Delivery Inspector';
