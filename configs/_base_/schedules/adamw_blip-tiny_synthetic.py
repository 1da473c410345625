# The CPU schedule of the tiny BLIP demos on the synthetic videos (the whole
# model trained from scratch): the synthetic schedule with BLIP's weight
# decay, over 30 epochs (a demo with another number changes the cosine's
# T_max and end with it).
_base_ = ['./adamw_synthetic.py']
train_cfg = dict(max_epochs=30, val_interval=30)
optim_wrapper = dict(optimizer=dict(weight_decay=0.01))
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=29, end=30)
]
