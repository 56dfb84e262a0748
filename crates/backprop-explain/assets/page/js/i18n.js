// The page's own words in English and Chinese. Everything about the network itself
// (formulas, step titles, the document) comes from the engine in both languages.
(function () {
  'use strict';
  const BP = (window.BP = window.BP || {});

  const STRINGS = {
    en: {
      title: 'Backpropagation, step by step',
      skip: 'Skip to the formulas',
      tabExplain: 'Step by step',
      tabPlay: 'Playground',
      network: 'The network',
      firstStep: 'First step of the round',
      prevStep: 'Previous step',
      nextStep: 'Next step',
      nextRound: 'Next round',
      sample: 'Sample',
      hint: 'Click or hover any number to see where it comes from. Keys: ← → step, Enter opens, Esc closes.',
      lossCurve: 'Loss over the rounds',
      edit: 'Change the network',
      formulas: 'Formulas',
      moreRounds: 'After more rounds',
      back: 'Back',
      close: 'Close',
      stepOf: (i, n, r, rn) => `Step ${i} of ${n}, round ${r} of ${rn}`,
      computedIn: (step, round) => `Computed in round ${round}: ${step}.`,
      whereFrom: 'Where the numbers come from',
      open: 'Open',
      curveHover: (r, e) => `Round ${r}, before its update: E_total = ${e}`,
      curveLabel: 'Loss curve; use the arrow keys to read the values',
      rounds: 'rounds',
      lossAxis: 'E_total (log scale)',
      lossAxisLinear: 'E_total',
      net: 'net',
      out: 'out',
      target: 'target',
      showRounds: 'Rounds to run',
      showFull: 'Rounds shown in full',
      order: 'Update order',
      textbook: 'textbook: all gradients first, then every update',
      published: 'published: each layer updated as soon as its gradients are known',
      learningRate: 'Learning rate η',
      loss: 'Loss',
      layerN: (n) => `Layer ${n}`,
      neurons: 'neurons',
      activation: 'activation',
      bias: 'bias',
      weights: 'Weights',
      inputs: 'Inputs',
      samples: 'Samples',
      targets: 'Targets',
      addLayer: 'Add a hidden layer',
      removeLayer: 'Remove this layer',
      addSample: 'Add a sample',
      removeSample: 'Remove the last sample',
      trainBias: 'Train the biases',
      working: 'Computing…',
      reset: 'Back to the tutorial',
      dataset: 'Data',
      noise: 'Noise',
      count: 'Points',
      seed: 'Seed',
      hidden: 'Hidden layers (sizes, comma-separated)',
      train: 'Train',
      pause: 'Pause',
      stepOnce: 'One step',
      restart: 'Start again',
      inspect: 'Explain one step on the selected point',
      inspectHint: 'Pause, click a point, and see every number of one training step on it.',
      stepsDone: (n) => `${n} steps`,
      lossNow: (e) => `loss ${e}`,
      accuracy: (a) => `accuracy ${a}`,
      regions: 'Decision regions',
      selected: (i) => `selected point #${i + 1}`,
      playSummary: 'Full-batch gradient descent on all points, softmax outputs with cross-entropy; the colours show which class the network picks at each place.',
      error: 'Error',
    },
    zh: {
      title: '反向传播，一步一步算',
      skip: '跳到公式',
      tabExplain: '逐步演算',
      tabPlay: '训练场',
      network: '网络结构',
      firstStep: '回到本轮第一步',
      prevStep: '上一步',
      nextStep: '下一步',
      nextRound: '下一轮',
      sample: '样本',
      hint: '点击或悬停在任意数字上，就能看到它是怎么算出来的。键盘：← → 切换步骤，Enter 打开，Esc 关闭。',
      lossCurve: '各轮的误差',
      edit: '修改网络',
      formulas: '公式',
      moreRounds: '多轮训练之后',
      back: '返回',
      close: '关闭',
      stepOf: (i, n, r, rn) => `第 ${r} 轮（共 ${rn} 轮）：第 ${i} 步，共 ${n} 步`,
      computedIn: (step, round) => `第 ${round} 轮「${step}」这一步算出的。`,
      whereFrom: '式中这些数是怎么来的',
      open: '展开',
      curveHover: (r, e) => `第 ${r} 轮（更新前）：E_total = ${e}`,
      curveLabel: '误差曲线；用方向键读取各轮的数值',
      rounds: '轮数',
      lossAxis: 'E_total（对数坐标）',
      lossAxisLinear: 'E_total',
      net: 'net',
      out: 'out',
      target: '目标',
      showRounds: '训练轮数',
      showFull: '完整展示的轮数',
      order: '更新顺序',
      textbook: 'textbook（教科书顺序）：先算出全部梯度，再统一更新',
      published: 'published（原文数字的顺序）：每层一算出梯度就立即更新',
      learningRate: '学习率 η',
      loss: '损失函数',
      layerN: (n) => `第 ${n} 层`,
      neurons: '神经元个数',
      activation: '激活函数',
      bias: '偏置',
      weights: '权重',
      inputs: '输入',
      samples: '样本',
      targets: '目标值',
      addLayer: '加一个隐含层',
      removeLayer: '删掉这一层',
      addSample: '加一个样本',
      removeSample: '删掉最后一个样本',
      trainBias: '偏置也参与训练',
      working: '正在计算……',
      reset: '恢复原教程的网络',
      dataset: '数据',
      noise: '噪声',
      count: '数据点个数',
      seed: '随机种子',
      hidden: '隐含层（各层神经元个数，用逗号分隔）',
      train: '开始训练',
      pause: '暂停',
      stepOnce: '走一步',
      restart: '重新开始',
      inspect: '逐步查看在选中点上训练一步的过程',
      inspectHint: '先暂停，再点选一个数据点，就能看到在这个点上训练一步时的每一个数。',
      stepsDone: (n) => `已训练 ${n} 步`,
      lossNow: (e) => `误差 ${e}`,
      accuracy: (a) => `准确率 ${a}`,
      regions: '决策区域',
      selected: (i) => `已选中第 ${i + 1} 个点`,
      playSummary: '对全部数据点做全批量梯度下降，输出层用 softmax 加交叉熵；底色表示网络在每个位置判定的类别。',
      error: '出错了',
    },
  };

  BP.lang = 'en';

  /** The page's phrase `key` in the current language; functions take arguments. */
  BP.t = function (key, ...args) {
    const s = STRINGS[BP.lang][key] ?? STRINGS.en[key] ?? key;
    return typeof s === 'function' ? s(...args) : s;
  };

  /** A phrase from the engine ({en, zh?}) in the current language. */
  BP.pick = function (langs) {
    if (!langs) return '';
    return (BP.lang === 'zh' && langs.zh) || langs.en;
  };

  /** Puts the current language's words into every element marked with data-t. */
  BP.translateStatic = function (root) {
    (root || document).querySelectorAll('[data-t]').forEach((el) => {
      el.textContent = BP.t(el.dataset.t);
    });
    (root || document).querySelectorAll('[data-t-label]').forEach((el) => {
      el.setAttribute('aria-label', BP.t(el.dataset.tLabel));
      el.title = BP.t(el.dataset.tLabel);
    });
    document.documentElement.lang = BP.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = BP.t('title');
  };
})();
