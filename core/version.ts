/** Product name shown to users; the npm package is `concord-reader`. */
export const productName = 'Concord';
