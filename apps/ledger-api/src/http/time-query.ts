// Time parameters are parsed where the read models live, so that ReadModels need not depend on http/.
export { parseInstant, timePoint } from '@app/projections';
