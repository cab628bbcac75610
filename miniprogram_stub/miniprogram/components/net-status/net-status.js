// The network state, visible on every page: a bar while offline or on a weak network.
const network = require('../../utils/network.js')

// Each bar's way to stop following the network, until it leaves the page.
const stops = new WeakMap()

Component({
  options: { styleIsolation: 'apply-shared' },
  data: { online: true, weak: false },
  lifetimes: {
    attached() {
      this.setData({ online: true, weak: false })
      stops.set(this, network.subscribe((state) => this.setData({ online: state.online, weak: state.weak })))
    },
    detached() {
      const stop = stops.get(this)
      if (stop) stop()
      stops.delete(this)
    }
  }
})
