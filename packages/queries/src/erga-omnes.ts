/** The relations tables' partner for a measure on every origin (minus its `excluded`); the relations projection writes it. */
export const ERGA_OMNES = '*'
