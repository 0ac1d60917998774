// Answers that arrive out of order. A screen that reloads on every live event can have
// several loads in flight; the network may answer an older one last, and applying it would
// show a state the server has since left (the cashier saw "partly paid" stay after the
// transfer's event). newestCalls() gives a function to call as each load begins; what that
// returns, `isNewest()`, stays true only while no later load has begun.
export function newestCalls(): () => () => boolean {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}
