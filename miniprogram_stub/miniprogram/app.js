const api = require('./utils/api.js')
const labels = require('./utils/labels.js')
const network = require('./utils/network.js')

App({
  // Follow the network (every page shows its state), refresh the server's labels and log in
  // as soon as the mini-program starts; pages wait for the same log-in through utils/api.js,
  // which also logs in again whenever the server answers 401.
  onLaunch() {
    network.watch()
    // No network yet: the stored labels stay; a page without any loads them when it needs them.
    const fresh = labels.refresh().catch(() => null)
    const login = api.traineeToken().catch(() => {
      // No network yet: the first page shows the error and offers to try again.
    })
    return Promise.all([fresh, login])
  },

  globalData: {}
})
